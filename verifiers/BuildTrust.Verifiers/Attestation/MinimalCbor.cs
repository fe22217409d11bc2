using System.Buffers.Binary;

namespace BuildTrust.Verifiers.Attestation;

/// <summary>
/// Reads the few CBOR items FIDO attestation needs (RFC 8949): unsigned and negative integers, byte and text
/// strings, maps. Definite lengths only; anything else is a format error.
/// </summary>
internal ref struct MinimalCbor(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public long ReadInteger()
    {
        var (major, value) = ReadHead();
        if (major is not (0 or 1)) throw new AttestationFormatException($"CBOR: expected an integer, found major type {major}");
        if (value > long.MaxValue) throw new AttestationFormatException("CBOR: integer out of range");
        return major == 0 ? (long)value : -1 - (long)value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var (major, length) = ReadHead();
        if (major != 2) throw new AttestationFormatException($"CBOR: expected a byte string, found major type {major}");
        return Take(length);
    }

    public int ReadMapHeader()
    {
        var (major, count) = ReadHead();
        if (major != 5) throw new AttestationFormatException($"CBOR: expected a map, found major type {major}");
        if (count > 64) throw new AttestationFormatException("CBOR: map too large");
        return (int)count;
    }

    /// <summary>Maps nested deeper than this are refused: a COSE key needs none, and hostile nesting would exhaust the stack.</summary>
    private const int MaximumDepth = 4;

    /// <summary>Skips one item of the kinds above (used for map values that are not needed).</summary>
    public void Skip() => Skip(0);

    private void Skip(int depth)
    {
        var (major, value) = ReadHead();
        switch (major)
        {
            case 0 or 1:
                return;
            case 2 or 3:
                Take(value);
                return;
            case 5:
                if (value > 64) throw new AttestationFormatException("CBOR: map too large");
                if (depth == MaximumDepth) throw new AttestationFormatException($"CBOR: maps nested more than {MaximumDepth} deep");
                for (var i = 0UL; i < value * 2; i++) Skip(depth + 1);
                return;
            default:
                throw new AttestationFormatException($"CBOR: unsupported major type {major}");
        }
    }

    private (int Major, ulong Value) ReadHead()
    {
        if (_rest.IsEmpty) throw new AttestationFormatException("CBOR: truncated");
        var initial = _rest[0];
        _rest = _rest[1..];
        var major = initial >> 5;
        var info = initial & 0x1f;
        ulong value = info switch
        {
            < 24 => (ulong)info,
            24 => Take(1)[0],
            25 => BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
            26 => BinaryPrimitives.ReadUInt32BigEndian(Take(4)),
            27 => BinaryPrimitives.ReadUInt64BigEndian(Take(8)),
            _ => throw new AttestationFormatException("CBOR: indefinite or reserved length"),
        };
        return (major, value);
    }

    private ReadOnlySpan<byte> Take(ulong length)
    {
        if (length > (ulong)_rest.Length) throw new AttestationFormatException("CBOR: truncated");
        var value = _rest[..(int)length];
        _rest = _rest[(int)length..];
        return value;
    }
}
