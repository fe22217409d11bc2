using System.Formats.Tar;
using System.Globalization;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>tar (System.Formats.Tar): member order, names, mtime, uid/gid and names, mode, link targets, then contents.</summary>
internal static class TarComparer
{
    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b, int depth)
    {
        var left = Read(comparison.Budget, location, a, out var problem);
        var right = problem is null ? Read(comparison.Budget, location, b, out problem) : null;
        if (left is null || right is null) return $"tar cannot be read ({problem})";
        MemberListComparer.Compare(comparison, location, left, right, depth);
        return null;
    }

    private static List<ArchiveMember>? Read(ComparisonBudget budget, string location, byte[] data, out string? problem)
    {
        problem = null;
        var members = new List<ArchiveMember>();
        try
        {
            using var reader = new TarReader(new MemoryStream(data, writable: false));
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (members.Count >= budget.Limits.MaxMembers)
                {
                    budget.Skip($"{location}: more than {budget.Limits.MaxMembers} members; the rest is not compared");
                    break;
                }
                var owner = entry is PosixTarEntry posix
                    ? $"{entry.Uid}:{entry.Gid} ({Name(posix.UserName)}/{Name(posix.GroupName)})"
                    : $"{entry.Uid}:{entry.Gid}";
                byte[]? content = null;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } stream)
                    content = Unpacked.Read(budget, $"{location} > {entry.Name}", stream, entry.Length);
                members.Add(new ArchiveMember(entry.Name, entry.EntryType.ToString(), entry.ModificationTime.ToUnixTimeSeconds(), owner, (int)entry.Mode,
                    entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink ? entry.LinkName : null, entry.Length, content));
            }
            return members;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or EndOfStreamException or OverflowException or IOException or NotSupportedException or InvalidOperationException)
        {
            problem = e.Message;
            return null;
        }
    }

    private static string Name(string? name) => string.IsNullOrEmpty(name) ? "-" : name.ToString(CultureInfo.InvariantCulture);
}
