using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Bcpg;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>A signature subpacket with any type, criticality and content, for packets no tool writes on purpose.</summary>
public sealed class RawSubpacket(SignatureSubpacketTag type, bool critical, byte[] data) : SignatureSubpacket(type, critical, false, data)
{
    /// <summary>A subpacket of a type from the private or experimental range (100-110), which nobody interprets.</summary>
    public static RawSubpacket Experimental(bool critical) => new((SignatureSubpacketTag)101, critical, "buildtrust-test"u8.ToArray());

    /// <summary>A notation (RFC 4880 §5.2.3.16), human-readable.</summary>
    public static RawSubpacket Notation(string name, string value, bool critical)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        var data = new byte[8 + nameBytes.Length + valueBytes.Length];
        data[0] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(4), (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(6), (ushort)valueBytes.Length);
        nameBytes.CopyTo(data, 8);
        valueBytes.CopyTo(data, 8 + nameBytes.Length);
        return new RawSubpacket(SignatureSubpacketTag.NotationData, critical, data);
    }

    /// <summary>A signature creation time (subpacket 2).</summary>
    public static RawSubpacket CreationTime(DateTime at)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeSeconds());
        return new RawSubpacket(SignatureSubpacketTag.CreationTime, false, data);
    }

    /// <summary>A signature expiration time (subpacket 3), seconds after creation.</summary>
    public static RawSubpacket Expiration(uint seconds)
    {
        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, seconds);
        return new RawSubpacket(SignatureSubpacketTag.ExpireTime, false, data);
    }
}
