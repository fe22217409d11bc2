namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// Strict OpenPGP ASCII armor (RFC 4880 §6.2, RFC 9580 §6.2) for one block: the BEGIN line, header lines,
/// a blank line, base64 lines, an optional CRC-24 line (checked when present), the END line and nothing
/// else. Lines end in LF, optionally preceded by CR. Hand-written on purpose: BouncyCastle's ArmoredInputStream accepts
/// text around and between blocks and ignores a wrong CRC in some paths, so a commit's signature could carry content no
/// verifier looked at (measured and pinned in OpenPgpArmorTests); the packets inside are still parsed by BouncyCastle.
/// </summary>
internal static class OpenPgpArmor
{
    public static byte[] Decode(string armored, string kind)
    {
        var begin = $"-----BEGIN PGP {kind}-----";
        var end = $"-----END PGP {kind}-----";
        var text = armored.AsSpan().Trim();
        var state = State.Begin;
        var body = new char[text.Length];
        var bodyLength = 0;
        ReadOnlySpan<char> checksum = default;
        foreach (var range in text.Split('\n'))
        {
            var line = text[range].TrimEnd('\r').TrimEnd(' ');
            switch (state)
            {
                case State.Begin:
                    if (!line.SequenceEqual(begin)) throw new OpenPgpFormatException($"an OpenPGP signature starts with '{begin}'");
                    state = State.Headers;
                    break;
                case State.Headers:
                    if (line.IsEmpty) state = State.Body;
                    else if (line.IndexOf(": ") <= 0) throw new OpenPgpFormatException("malformed armor header line (the blank line after the armor headers is missing?)");
                    break;
                case State.Body when line.SequenceEqual(end):
                    state = State.End;
                    break;
                case State.Body when line.StartsWith('='):
                    checksum = line[1..];
                    state = State.Checksum;
                    break;
                case State.Body:
                    line.CopyTo(body.AsSpan(bodyLength));
                    bodyLength += line.Length;
                    break;
                case State.Checksum:
                    if (!line.SequenceEqual(end)) throw new OpenPgpFormatException($"the armor checksum line must be followed by '{end}'");
                    state = State.End;
                    break;
                default:
                    throw new OpenPgpFormatException($"text after '{end}'");
            }
        }
        if (state != State.End) throw new OpenPgpFormatException($"an OpenPGP signature ends with '{end}'");

        var data = new byte[bodyLength * 3 / 4 + 3];
        if (!Convert.TryFromBase64Chars(body.AsSpan(0, bodyLength), data, out var length))
            throw new OpenPgpFormatException("the armored body is not valid base64");
        if (!checksum.IsEmpty) CheckCrc(data.AsSpan(0, length), checksum);
        return data[..length];
    }

    private static void CheckCrc(ReadOnlySpan<byte> data, ReadOnlySpan<char> checksum)
    {
        Span<byte> expected = stackalloc byte[3];
        if (checksum.Length != 4 || !Convert.TryFromBase64Chars(checksum, expected, out var written) || written != 3)
            throw new OpenPgpFormatException("the armor checksum line is malformed");
        if (Crc24(data) != (expected[0] << 16 | expected[1] << 8 | expected[2]))
            throw new OpenPgpFormatException("the armor checksum does not match its content (the signature was altered or truncated)");
    }

    private static readonly int[] Crc24Table = BuildCrc24Table();

    private static int Crc24(ReadOnlySpan<byte> data)
    {
        var crc = 0xB704CE;
        foreach (var b in data) crc = (crc << 8 ^ Crc24Table[(crc >> 16 ^ b) & 0xFF]) & 0xFFFFFF;
        return crc;
    }

    private static int[] BuildCrc24Table()
    {
        var table = new int[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = i << 16;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 0x800000) != 0 ? crc << 1 ^ 0x1864CFB : crc << 1;
            table[i] = crc & 0xFFFFFF;
        }
        return table;
    }

    private enum State { Begin, Headers, Body, Checksum, End }
}
