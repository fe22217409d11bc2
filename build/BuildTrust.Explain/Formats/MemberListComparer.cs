using System.Globalization;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>What tar, ar and zip have in common: member order, members on one side only, metadata, then content.</summary>
internal static class MemberListComparer
{
    public static void Compare(PairComparison comparison, string location, IReadOnlyList<ArchiveMember> a, IReadOnlyList<ArchiveMember> b, int depth)
    {
        var namesA = a.Select(m => m.Name).ToList();
        var namesB = b.Select(m => m.Name).ToList();
        if (!namesA.SequenceEqual(namesB, StringComparer.Ordinal) && namesA.Order(StringComparer.Ordinal).SequenceEqual(namesB.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            var first = Enumerable.Range(0, namesA.Count).First(i => namesA[i] != namesB[i]);
            comparison.Add(new Difference(location, DifferenceKind.Order, Listing(namesA, first), Listing(namesB, first), null,
                $"order A: {string.Join(", ", namesA.Take(40))}\norder B: {string.Join(", ", namesB.Take(40))}"));
        }
        var byNameB = b.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var byNameA = a.GroupBy(m => m.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var member in a.Where(m => !byNameB.ContainsKey(m.Name))) comparison.Add(new Difference($"{location} > {member.Name}", DifferenceKind.Missing, "present", "missing"));
        foreach (var member in b.Where(m => !byNameA.ContainsKey(m.Name))) comparison.Add(new Difference($"{location} > {member.Name}", DifferenceKind.Missing, "missing", "present"));
        foreach (var left in byNameA.Values)
        {
            if (!byNameB.TryGetValue(left.Name, out var right)) continue;
            var where = $"{location} > {left.Name}";
            if (left.Type != right.Type) comparison.Add(new Difference(where, DifferenceKind.Bytes, left.Type, right.Type));
            if (left.Mtime != right.Mtime) comparison.Add(new Difference(where, DifferenceKind.Timestamp, Time(left.Mtime), Time(right.Mtime)));
            if (left.Owner != right.Owner) comparison.Add(new Difference(where, DifferenceKind.Owner, left.Owner, right.Owner));
            if (left.Mode != right.Mode) comparison.Add(new Difference(where, DifferenceKind.Mode, Mode(left.Mode), Mode(right.Mode)));
            if (left.LinkName != right.LinkName) comparison.Add(new Difference(where, DifferenceKind.Bytes, $"link to {left.LinkName}", $"link to {right.LinkName}"));
            if (left.Extra != right.Extra) comparison.Add(new Difference(where, DifferenceKind.ExtraField, left.Extra ?? "(none)", right.Extra ?? "(none)"));
            if (left.Content is { } contentA && right.Content is { } contentB) comparison.Compare(where, contentA, contentB, depth + 1);
            else if (left.Length != right.Length) comparison.Add(new Difference(where, DifferenceKind.Bytes, $"{left.Length} bytes", $"{right.Length} bytes"));
        }
    }

    public static string Time(long seconds) => seconds is < -62135596800 or > 253402300799
        ? seconds.ToString(CultureInfo.InvariantCulture)
        : DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string Mode(int? mode) => mode is { } m ? "0" + Convert.ToString(m & 0xfff, 8) : "(none)";

    private static string Listing(List<string> names, int first) =>
        (first > 0 ? "… " : "") + string.Join(", ", names.Skip(first).Take(6)) + (names.Count > first + 6 ? ", …" : "");
}
