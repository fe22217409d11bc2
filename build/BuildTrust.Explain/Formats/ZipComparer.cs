using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>zip, .nupkg, .jar (System.IO.Compression): entry order, timestamps, Unix modes, extra fields, then contents.</summary>
internal static class ZipComparer
{
    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b, int depth)
    {
        var left = Read(comparison.Budget, location, a, out var problem);
        var right = problem is null ? Read(comparison.Budget, location, b, out problem) : null;
        if (left is null || right is null) return $"zip cannot be read ({problem})";
        var before = comparison.Differences.Count + comparison.Dropped;
        MemberListComparer.Compare(comparison, location, left, right, depth);
        // Same entries, same metadata, same contents: what differs is the archive's own layout (compression, comments).
        return comparison.Differences.Count + comparison.Dropped > before ? null : "";
    }

    private static List<ArchiveMember>? Read(ComparisonBudget budget, string location, byte[] data, out string? problem)
    {
        problem = null;
        try
        {
            var extras = CentralDirectoryExtras(data);
            using var archive = new ZipArchive(new MemoryStream(data, writable: false), ZipArchiveMode.Read);
            var members = new List<ArchiveMember>();
            foreach (var entry in archive.Entries)
            {
                if (members.Count >= budget.Limits.MaxMembers)
                {
                    budget.Skip($"{location}: more than {budget.Limits.MaxMembers} entries; the rest is not compared");
                    break;
                }
                var unixMode = (entry.ExternalAttributes >> 16) & 0xffff;
                byte[]? content = null;
                if (!entry.FullName.EndsWith('/'))
                {
                    using var stream = entry.Open();
                    content = Unpacked.Read(budget, $"{location} > {entry.FullName}", stream, entry.Length);
                }
                var dosTime = entry.LastWriteTime;
                var seconds = new DateTimeOffset(dosTime.DateTime, TimeSpan.Zero).ToUnixTimeSeconds();
                members.Add(new ArchiveMember(entry.FullName, entry.FullName.EndsWith('/') ? "directory" : "file", seconds, "-", unixMode == 0 ? null : unixMode,
                    null, entry.Length, content, extras.GetValueOrDefault(entry.FullName)));
            }
            return members;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or NotSupportedException or InvalidOperationException or OverflowException)
        {
            problem = e.Message;
            return null;
        }
    }

    /// <summary>Each entry's extra field as hex, from the central directory (ZipArchive does not expose it); empty when unreadable.</summary>
    private static Dictionary<string, string> CentralDirectoryExtras(ReadOnlySpan<byte> data)
    {
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        var end = -1;
        for (var i = data.Length - 22; i >= Math.Max(0, data.Length - 22 - 65535); i--)
        {
            if (data.Slice(i, 4).SequenceEqual("PK\u0005\u0006"u8)) { end = i; break; }
        }
        if (end < 0) return extras;
        var count = BinaryPrimitives.ReadUInt16LittleEndian(data[(end + 10)..]);
        var position = (long)BinaryPrimitives.ReadUInt32LittleEndian(data[(end + 16)..]);
        for (var n = 0; n < count; n++)
        {
            if (position < 0 || position + 46 > data.Length || !data.Slice((int)position, 4).SequenceEqual("PK\u0001\u0002"u8)) return extras;
            var header = data.Slice((int)position);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]), extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]),
                commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            if (46 + nameLength + extraLength > header.Length) return extras;
            var name = Encoding.UTF8.GetString(header.Slice(46, nameLength));
            if (extraLength > 0) extras.TryAdd(name, Convert.ToHexStringLower(header.Slice(46 + nameLength, Math.Min(extraLength, 64))));
            position += 46 + nameLength + extraLength + commentLength;
        }
        return extras;
    }
}
