using System.Text;
using BuildTrust.Explain.Comparison;
using DiffPlex;
using DiffPlex.Model;

namespace BuildTrust.Explain.Formats;

/// <summary>A line diff of two texts (DiffPlex's Myers diff on the lines between the common head and tail).</summary>
internal static class TextDiff
{
    private const int MaximumLines = 50_000, MaximumHunks = 50, MaximumValue = 2000;

    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b)
    {
        var left = Encoding.UTF8.GetString(a).Split('\n');
        var right = Encoding.UTF8.GetString(b).Split('\n');
        if (left.Length > MaximumLines || right.Length > MaximumLines) return $"more than {MaximumLines} lines";
        var head = 0;
        while (head < left.Length && head < right.Length && left[head] == right[head]) head++;
        var tail = 0;
        while (tail < left.Length - head && tail < right.Length - head && left[^(tail + 1)] == right[^(tail + 1)]) tail++;
        var middleA = left[head..^tail];
        var middleB = right[head..^tail];
        var result = Differ.Instance.CreateDiffs(string.Join('\n', middleA), string.Join('\n', middleB), ignoreWhiteSpace: false, ignoreCase: false, new DiffPlex.Chunkers.LineChunker());
        var hunks = 0;
        foreach (var block in result.DiffBlocks)
        {
            if (++hunks > MaximumHunks)
            {
                comparison.Budget.Skip($"{location}: more than {MaximumHunks} differing blocks of lines; the first {MaximumHunks} are listed");
                break;
            }
            var removed = result.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA).ToList();
            var added = result.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB).ToList();
            var line = head + block.DeleteStartA + 1;
            var raw = new StringBuilder($"@@ -{line},{block.DeleteCountA} +{head + block.InsertStartB + 1},{block.InsertCountB} @@\n");
            foreach (var r in removed.Take(40)) raw.Append('-').Append(r).Append('\n');
            foreach (var r in added.Take(40)) raw.Append('+').Append(r).Append('\n');
            comparison.Add(new Difference($"{location}:{line}", DifferenceKind.TextLines, Cap(string.Join('\n', removed)), Cap(string.Join('\n', added)), null, raw.ToString().TrimEnd('\n')));
        }
        return null;
    }

    private static string Cap(string value) => value.Length <= MaximumValue ? value : value[..MaximumValue] + "…";
}
