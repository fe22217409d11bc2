using System.Buffers.Text;
using System.Text;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// Parses a raw commit object the way git does for signature checking: the <c>gpgsig</c> header (with its
/// continuation lines) is the signature and everything else, byte for byte, is what was signed. Parents are
/// read as git reads them: the <c>parent</c> lines directly after the <c>tree</c> line, nowhere else.
/// </summary>
internal static class GitCommitObject
{
    private static ReadOnlySpan<byte> TreeHeader => "tree "u8;
    private static ReadOnlySpan<byte> ParentHeader => "parent "u8;
    private static ReadOnlySpan<byte> CommitterHeader => "committer "u8;
    private static ReadOnlySpan<byte> SignatureHeader => "gpgsig "u8;
    private const int ObjectIdHexLength = 40;

    public static CommitRecord Parse(string id, byte[] raw)
    {
        var span = raw.AsSpan();
        var parents = new List<string>(1);
        var parentsComplete = false;
        DateTimeOffset? committedAt = null;
        int signatureStart = -1, signatureEnd = -1;
        var inSignature = false;
        var position = 0;

        CommitRecord Malformed(string problem) =>
            new(id, "", default, null, [], problem) { Parents = parentsComplete ? parents : [], ParentsUnknown = !parentsComplete };

        while (true)
        {
            var newline = span[position..].IndexOf((byte)'\n');
            if (newline < 0) return Malformed("the header has no terminating blank line");
            var line = span.Slice(position, newline);
            var next = position + newline + 1;
            if (line.IsEmpty)
            {
                if (position == 0) return Malformed("the commit does not start with a tree line");
                if (committedAt is null) return Malformed("the commit has no committer line");
                return new CommitRecord(id, Summary(span[next..]), committedAt.Value, Signature(span, signatureStart, signatureEnd), Payload(span, signatureStart, signatureEnd))
                {
                    Parents = parents,
                };
            }
            if (position == 0)
            {
                if (!line.StartsWith(TreeHeader) || !IsObjectId(line[TreeHeader.Length..])) return Malformed("the commit does not start with a tree line");
            }
            else if (!parentsComplete && line.StartsWith(ParentHeader))
            {
                var parent = line[ParentHeader.Length..];
                if (!IsObjectId(parent)) return Malformed("a parent line does not hold a full object id");
                parents.Add(Encoding.ASCII.GetString(parent));
            }
            else
            {
                parentsComplete = true;
                if (line[0] == (byte)' ' && inSignature)
                {
                    signatureEnd = next;
                }
                else if (line.StartsWith(SignatureHeader))
                {
                    if (signatureStart >= 0) return Malformed("the commit carries more than one gpgsig header");
                    (signatureStart, signatureEnd, inSignature) = (position, next, true);
                }
                else
                {
                    inSignature = false;
                    if (line.StartsWith(ParentHeader)) return Malformed("a parent line is out of place (parents directly follow the tree line)");
                    if (line.StartsWith(CommitterHeader))
                    {
                        if (committedAt is not null) return Malformed("the commit has more than one committer line");
                        committedAt = ParseDate(line);
                        if (committedAt is null) return Malformed("the committer line has no valid date");
                    }
                }
            }
            position = next;
        }
    }

    private static bool IsObjectId(ReadOnlySpan<byte> text) =>
        text.Length == ObjectIdHexLength && !text.ContainsAnyExcept("0123456789abcdef"u8);

    /// <summary>The commit without its signature header: the bytes the signer signed.</summary>
    private static byte[] Payload(ReadOnlySpan<byte> raw, int signatureStart, int signatureEnd)
    {
        if (signatureStart < 0) return raw.ToArray();
        var payload = new byte[raw.Length - (signatureEnd - signatureStart)];
        raw[..signatureStart].CopyTo(payload);
        raw[signatureEnd..].CopyTo(payload.AsSpan(signatureStart));
        return payload;
    }

    /// <summary>The header's value with the continuation lines' leading space removed, one line per line.</summary>
    private static string? Signature(ReadOnlySpan<byte> raw, int signatureStart, int signatureEnd)
    {
        if (signatureStart < 0) return null;
        var header = raw[(signatureStart + SignatureHeader.Length)..signatureEnd];
        var text = new char[header.Length];
        var length = 0;
        var lineStart = true;
        foreach (var b in header)
        {
            if (lineStart && b == (byte)' ' && length > 0)
            {
                lineStart = false;
                continue;
            }
            lineStart = b == (byte)'\n';
            // Armor is ASCII; anything else is kept visible so the signature parser rejects it.
            text[length++] = b is >= 0x20 and < 0x7f or (byte)'\t' or (byte)'\n' ? (char)b : '\uFFFD';
        }
        return new string(text, 0, length);
    }

    /// <summary>Reads "committer Name &lt;email&gt; 1700000000 +0100".</summary>
    private static DateTimeOffset? ParseDate(ReadOnlySpan<byte> line)
    {
        var close = line.LastIndexOf((byte)'>');
        if (close < 0) return null;
        var text = line[(close + 1)..].Trim((byte)' ');
        var space = text.IndexOf((byte)' ');
        if (space < 0) return null;
        var secondsText = text[..space];
        var zone = text[(space + 1)..].TrimStart((byte)' ');
        if (secondsText.IsEmpty || secondsText.ContainsAnyExceptInRange((byte)'0', (byte)'9') ||
            !Utf8Parser.TryParse(secondsText, out long seconds, out var consumed) || consumed != secondsText.Length) return null;
        if (zone.Length != 5 || zone[0] is not ((byte)'+' or (byte)'-') || zone[1..].ContainsAnyExceptInRange((byte)'0', (byte)'9')) return null;
        var hours = (zone[1] - '0') * 10 + (zone[2] - '0');
        var minutes = (zone[3] - '0') * 10 + (zone[4] - '0');
        if (hours > 14 || minutes > 59) return null;
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
        if (text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
            text = string.Create(text.Length, text, (chars, source) =>
            {
                for (var i = 0; i < chars.Length; i++) chars[i] = char.IsControl(source[i]) ? '?' : source[i];
            });
        return text.Length > maximum ? text[..maximum] + "…" : text;
    }
}
