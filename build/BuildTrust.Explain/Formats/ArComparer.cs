using System.Globalization;
using System.Text;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>
/// ar archives, and so .deb packages (debian-binary, control.tar.*, data.tar.*): member order, mtime, uid/gid, mode, then
/// contents. The format is a fixed 60-byte header per member; no NuGet package reads it, hence this bounded reader.
/// </summary>
internal static class ArComparer
{
    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b, int depth)
    {
        var left = Read(comparison.Budget, location, a, out var problem);
        var right = problem is null ? Read(comparison.Budget, location, b, out problem) : null;
        if (left is null || right is null) return $"ar cannot be read ({problem})";
        MemberListComparer.Compare(comparison, location, left, right, depth);
        return null;
    }

    internal static List<ArchiveMember>? Read(ComparisonBudget budget, string location, byte[] data, out string? problem)
    {
        problem = null;
        var members = new List<ArchiveMember>();
        string? longNames = null;
        var position = 8;
        while (position < data.Length)
        {
            if (position + 60 > data.Length) { problem = $"a member header at {position} is cut short"; return null; }
            var header = data.AsSpan(position, 60);
            if (header[58] != (byte)'`' || header[59] != (byte)'\n') { problem = $"no header terminator at {position + 58}"; return null; }
            var name = Field(header, 0, 16);
            if (!long.TryParse(Field(header, 48, 10), NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size > data.Length - position - 60)
            {
                problem = $"member size at {position + 48} is malformed or past the end";
                return null;
            }
            var content = data.AsSpan(position + 60, (int)size);
            position += 60 + (int)size + (int)(size & 1);
            if (name == "//") { longNames = Encoding.Latin1.GetString(content); continue; }
            if (name is "/" or "/SYM64/") continue;
            if (name.StartsWith('/') && longNames is not null && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset < longNames.Length)
            {
                var endOfName = longNames.IndexOf('\n', offset);
                name = longNames[offset..(endOfName < 0 ? longNames.Length : endOfName)];
            }
            name = name.TrimEnd('/');
            if (members.Count >= budget.Limits.MaxMembers)
            {
                budget.Skip($"{location}: more than {budget.Limits.MaxMembers} members; the rest is not compared");
                break;
            }
            _ = long.TryParse(Field(header, 16, 12), NumberStyles.None, CultureInfo.InvariantCulture, out var mtime);
            var uid = Field(header, 28, 6);
            var gid = Field(header, 34, 6);
            int? mode = null;
            try { mode = Field(header, 40, 8) is { Length: > 0 } octal ? Convert.ToInt32(octal, 8) : null; } catch (FormatException) { } catch (OverflowException) { } catch (ArgumentException) { }
            var bytes = budget.TryTake(size) ? content.ToArray() : null;
            if (bytes is null) budget.Skip($"{location} > {name}: {size} bytes, past the size caps; compared by size only");
            members.Add(new ArchiveMember(name, "file", mtime, $"{(uid.Length == 0 ? "-" : uid)}:{(gid.Length == 0 ? "-" : gid)}", mode, null, size, bytes));
        }
        return members;
    }

    private static string Field(ReadOnlySpan<byte> header, int start, int length) => Encoding.ASCII.GetString(header.Slice(start, length)).TrimEnd(' ', '\0');
}
