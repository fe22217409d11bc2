using System.Buffers.Binary;
using System.Text;

namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>
/// Reads the SSH wire encoding (RFC 4251 §5) from untrusted bytes; every overrun is a <see cref="SshFormatException"/>.
/// Hand-written on purpose: the .NET SSH libraries on NuGet are clients (SSH.NET) whose key and signature readers are
/// internal and lenient; sshsig needs a few strict reads, each checked against ssh-keygen in the tests and fuzzed.
/// </summary>
internal ref struct SshWireReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public byte ReadByte()
    {
        if (_rest.Length < 1) throw new SshFormatException("truncated: expected a byte");
        var value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    public uint ReadUInt32()
    {
        if (_rest.Length < 4) throw new SshFormatException("truncated: expected a 32-bit integer");
        var value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return value;
    }

    public ReadOnlySpan<byte> ReadString()
    {
        var length = ReadUInt32();
        if (length > (uint)_rest.Length) throw new SshFormatException($"truncated: a field claims {length} bytes, {_rest.Length} remain");
        var value = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return value;
    }

    public string ReadAscii()
    {
        var bytes = ReadString();
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7e) throw new SshFormatException("a name field holds non-printable bytes");
        }
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>An mpint that must be non-negative (leading zero byte allowed only to clear the sign bit).</summary>
    public ReadOnlySpan<byte> ReadPositiveMpint()
    {
        var value = ReadString();
        if (value.IsEmpty) return value;
        if ((value[0] & 0x80) != 0) throw new SshFormatException("negative mpint");
        if (value[0] == 0 && (value.Length == 1 || (value[1] & 0x80) == 0)) throw new SshFormatException("non-minimal mpint");
        return value[0] == 0 ? value[1..] : value;
    }

    public readonly void ExpectEnd(string what)
    {
        if (!_rest.IsEmpty) throw new SshFormatException($"{_rest.Length} unexpected trailing bytes after {what}");
    }
}
