using System.Buffers.Binary;
using System.Text;

namespace BuildTrust.Demo.Keys;

/// <summary>Writes the SSH wire encoding (RFC 4251 §5). Written independently of the verifier's reader on purpose.</summary>
public sealed class SshWireWriter
{
    private readonly MemoryStream _buffer = new();

    public SshWireWriter Byte(byte value)
    {
        _buffer.WriteByte(value);
        return this;
    }

    public SshWireWriter UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public SshWireWriter Raw(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    public SshWireWriter String(ReadOnlySpan<byte> value) => UInt32((uint)value.Length).Raw(value);

    public SshWireWriter String(string value) => String(Encoding.ASCII.GetBytes(value));

    /// <summary>A non-negative multiple-precision integer from big-endian unsigned bytes.</summary>
    public SshWireWriter Mpint(ReadOnlySpan<byte> unsignedBigEndian)
    {
        var start = 0;
        while (start < unsignedBigEndian.Length && unsignedBigEndian[start] == 0) start++;
        var value = unsignedBigEndian[start..];
        if (!value.IsEmpty && (value[0] & 0x80) != 0)
        {
            UInt32((uint)value.Length + 1).Byte(0);
            return Raw(value);
        }
        return String(value);
    }

    public byte[] ToArray() => _buffer.ToArray();
}
