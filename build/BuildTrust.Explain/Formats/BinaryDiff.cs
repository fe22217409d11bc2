using System.Text;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>
/// The leaf comparison of content no reader understands (or a section of one): the printable strings found on one side
/// only, paired in order, which is where paths, host names and times show; else the first differing bytes as hex.
/// </summary>
internal static class BinaryDiff
{
    private const int MinimumString = 4, MaximumStrings = 200_000, MaximumShown = 24, MaximumLength = 240;

    public static void Compare(PairComparison comparison, string location, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool stringsToo)
    {
        var offset = a.CommonPrefixLength(b);
        if (offset == a.Length && offset == b.Length) return;
        var raw = $"{HexDump(a, offset)}\n--- vs ---\n{HexDump(b, offset)}";
        if (stringsToo)
        {
            var onlyA = OnlyIn(Strings(a), Strings(b));
            var onlyB = OnlyIn(Strings(b), Strings(a));
            var pairs = Math.Max(onlyA.Count, onlyB.Count);
            if (pairs > 0)
            {
                for (var i = 0; i < Math.Min(pairs, MaximumShown); i++)
                {
                    var left = i < onlyA.Count ? onlyA[i] : default;
                    var right = i < onlyB.Count ? onlyB[i] : default;
                    comparison.Add(new Difference(location, DifferenceKind.Strings, left.Text ?? "", right.Text ?? "", left.Text is null ? right.Offset : left.Offset, i == 0 ? raw : null));
                }
                if (pairs > MaximumShown) comparison.Budget.Skip($"{location}: {pairs - MaximumShown} more differing strings not listed");
                return;
            }
        }
        comparison.Add(new Difference(location, DifferenceKind.Bytes, Hex(a, offset), Hex(b, offset), offset, raw));
    }

    /// <summary>Printable ASCII runs of at least four characters, with their offsets (capped).</summary>
    public static List<(string Text, long Offset)> Strings(ReadOnlySpan<byte> data)
    {
        var found = new List<(string, long)>();
        var start = -1;
        for (var i = 0; i <= data.Length && found.Count < MaximumStrings; i++)
        {
            var printable = i < data.Length && (data[i] is >= 0x20 and < 0x7f || data[i] == 9);
            if (printable)
            {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0 && i - start >= MinimumString)
            {
                var length = Math.Min(i - start, MaximumLength);
                found.Add((Encoding.ASCII.GetString(data.Slice(start, length)), start));
            }
            start = -1;
        }
        return found;
    }

    private static List<(string Text, long Offset)> OnlyIn(List<(string Text, long Offset)> these, List<(string Text, long Offset)> others)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (text, _) in others) counts[text] = counts.GetValueOrDefault(text) + 1;
        var only = new List<(string, long)>();
        foreach (var (text, offset) in these)
        {
            if (counts.TryGetValue(text, out var count) && count > 0) counts[text] = count - 1;
            else only.Add((text, offset));
        }
        return only;
    }

    public static string Hex(ReadOnlySpan<byte> data, int offset) =>
        offset >= data.Length ? "(ends here)" : Convert.ToHexStringLower(data.Slice(offset, Math.Min(16, data.Length - offset)));

    /// <summary>Up to 64 bytes from a 16-byte boundary before <paramref name="offset"/>, as <c>xxd</c> shows them.</summary>
    public static string HexDump(ReadOnlySpan<byte> data, long offset)
    {
        var text = new StringBuilder();
        var start = (int)Math.Min(offset, data.Length) & ~15;
        for (var line = start; line < Math.Min(data.Length, start + 64); line += 16)
        {
            var chunk = data.Slice(line, Math.Min(16, data.Length - line));
            text.Append($"{line:x8}: ");
            for (var i = 0; i < 16; i++) text.Append(i < chunk.Length ? $"{chunk[i]:x2}" : "  ").Append(i % 2 == 1 ? " " : "");
            text.Append(' ');
            foreach (var c in chunk) text.Append(c is >= 0x20 and < 0x7f ? (char)c : '.');
            text.Append('\n');
        }
        return text.Length == 0 ? "(no bytes)" : text.ToString().TrimEnd('\n');
    }
}
