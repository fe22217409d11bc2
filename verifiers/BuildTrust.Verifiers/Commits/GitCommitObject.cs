using System.Globalization;
using System.Text;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// Parses a raw commit object the way git does for signature checking: the <c>gpgsig</c> header (with its
/// continuation lines) is the signature and everything else, byte for byte, is what was signed.
/// </summary>
internal static class GitCommitObject
{
    private static ReadOnlySpan<byte> SignatureHeader => "gpgsig "u8;
    private static ReadOnlySpan<byte> CommitterHeader => "committer "u8;
    private static ReadOnlySpan<byte> ParentHeader => "parent "u8;

    public static CommitRecord Parse(string id, byte[] raw)
    {
        var payload = new MemoryStream(raw.Length);
        StringBuilder? signature = null;
        DateTimeOffset? committedAt = null;
        var parents = new List<string>(1);
        var span = raw.AsSpan();
        var position = 0;
        var inSignature = false;
        while (true)
        {
            var newline = span[position..].IndexOf((byte)'\n');
            if (newline < 0) return Malformed(id, "the header has no terminating blank line");
            var line = span.Slice(position, newline);
            var next = position + newline + 1;
            if (line.IsEmpty)
            {
                payload.Write(span[position..]);
                var summary = Summary(span[next..]);
                if (committedAt is null) return Malformed(id, "the commit has no committer line");
                return new CommitRecord(id, summary, committedAt.Value, signature?.ToString(), payload.ToArray()) { Parents = parents };
            }
            if (line[0] == (byte)' ' && inSignature)
            {
                AppendSignatureLine(signature!, line[1..]);
            }
            else if (line.StartsWith(SignatureHeader))
            {
                if (signature is not null) return Malformed(id, "the commit carries more than one gpgsig header");
                signature = new StringBuilder();
                AppendSignatureLine(signature, line[SignatureHeader.Length..]);
                inSignature = true;
            }
            else
            {
                inSignature = false;
                if (line.StartsWith(ParentHeader))
                {
                    var parent = line[ParentHeader.Length..];
                    if (parent.Length != 40 || committedAt is not null) return Malformed(id, "a parent line is malformed or out of place");
                    parents.Add(System.Text.Encoding.ASCII.GetString(parent));
                }
                else if (line.StartsWith(CommitterHeader))
                {
                    if (committedAt is not null) return Malformed(id, "the commit has more than one committer line");
                    committedAt = ParseDate(line);
                    if (committedAt is null) return Malformed(id, "the committer line has no valid date");
                }
                payload.Write(span.Slice(position, newline + 1));
            }
            position = next;
        }
    }

    private static void AppendSignatureLine(StringBuilder signature, ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            // Armor is ASCII; anything else is kept visible so the signature parser rejects it.
            signature.Append(b is >= 0x20 and < 0x7f or (byte)'\t' ? (char)b : '\uFFFD');
        }
        signature.Append('\n');
    }

    /// <summary>Reads "committer Name &lt;email&gt; 1700000000 +0100".</summary>
    private static DateTimeOffset? ParseDate(ReadOnlySpan<byte> line)
    {
        var close = line.LastIndexOf((byte)'>');
        if (close < 0) return null;
        var text = Encoding.ASCII.GetString(line[(close + 1)..]).Trim();
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        var zone = parts[1];
        if (zone.Length != 5 || zone[0] is not ('+' or '-') ||
            !int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours) ||
            !int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ||
            hours > 14 || minutes > 59) return null;
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 86_400) return null;
        var offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset);
    }

    private static string Summary(ReadOnlySpan<byte> message)
    {
        const int maximum = 120;
        var end = message.IndexOf((byte)'\n');
        var first = end < 0 ? message : message[..end];
        if (first.Length > maximum * 4) first = first[..(maximum * 4)];
        var text = Encoding.UTF8.GetString(first);
        text = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > maximum ? text[..maximum] + "…" : text;
    }

    private static CommitRecord Malformed(string id, string problem) =>
        new(id, "", default, null, [], problem);
}
