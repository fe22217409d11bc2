using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>ELF, section by section: the GNU build-id, <c>.comment</c>, DWARF compilation directories, then each differing section's strings or bytes.</summary>
internal static class ElfComparer
{
    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b)
    {
        var left = ElfImage.Parse(a, out var problem);
        var right = problem is null ? ElfImage.Parse(b, out problem) : null;
        if (left is null || right is null) return $"ELF cannot be read ({problem})";
        var before = comparison.Differences.Count + comparison.Dropped;
        var namesB = right.Sections.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var namesA = left.Sections.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in namesA.Except(namesB)) comparison.Add(new Difference($"{location} > {name}", DifferenceKind.Missing, "present", "missing"));
        foreach (var name in namesB.Except(namesA)) comparison.Add(new Difference($"{location} > {name}", DifferenceKind.Missing, "missing", "present"));
        var unitsA = DwarfCompileUnits.Read(left, a);
        var unitsB = DwarfCompileUnits.Read(right, b);
        for (var i = 0; i < Math.Min(unitsA.Count, unitsB.Count); i++)
        {
            var unit = unitsA[i].Name ?? unitsB[i].Name ?? $"#{i}";
            if (unitsA[i].Directory != unitsB[i].Directory)
                comparison.Add(new Difference($"{location} > DWARF compilation unit {unit} (DW_AT_comp_dir)", DifferenceKind.DebugPath, unitsA[i].Directory ?? "(none)", unitsB[i].Directory ?? "(none)"));
            if (unitsA[i].Name != unitsB[i].Name)
                comparison.Add(new Difference($"{location} > DWARF compilation unit #{i} (DW_AT_name)", DifferenceKind.DebugPath, unitsA[i].Name ?? "(none)", unitsB[i].Name ?? "(none)"));
        }
        foreach (var section in left.Sections)
        {
            if (right.Section(section.Name) is not { } other) continue;
            var bytesA = section.Bytes(a);
            var bytesB = other.Bytes(b);
            if (bytesA.SequenceEqual(bytesB)) continue;
            var where = $"{location} > {section.Name}";
            if (section.Name == ".note.gnu.build-id")
                comparison.Add(new Difference(where, DifferenceKind.BuildId, Convert.ToHexStringLower(bytesA[Math.Min(16, bytesA.Length)..]), Convert.ToHexStringLower(bytesB[Math.Min(16, bytesB.Length)..]), section.Offset));
            else if (section.Name == ".comment")
                comparison.Add(new Difference(where, DifferenceKind.Comment, Printable(bytesA), Printable(bytesB), section.Offset));
            else
                BinaryDiff.Compare(comparison, where, bytesA, bytesB, stringsToo: true);
        }
        return comparison.Differences.Count + comparison.Dropped > before ? null : "";
    }

    private static string Printable(ReadOnlySpan<byte> bytes) => string.Join(" | ", BinaryDiff.Strings(bytes).Select(s => s.Text));
}
