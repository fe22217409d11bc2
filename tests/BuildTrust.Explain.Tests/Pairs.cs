using System.Formats.Tar;
using System.IO.Compression;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Tests;

/// <summary>Builds artifact pairs in memory with the real archive writers, and compares them as the explainer does.</summary>
internal static class Pairs
{
    public static (List<Difference> Differences, List<string> Skipped) Compare(byte[] a, byte[] b, ExplainLimits? limits = null, string name = "artifact")
    {
        var budget = new ComparisonBudget(limits ?? ExplainLimits.Default);
        var comparison = new PairComparison(budget);
        comparison.Compare(name, a, b, 0);
        return (comparison.Differences, budget.Skipped);
    }

    public sealed record TarFile(string Name, string Content, int Uid = 0, int Gid = 0, UnixFileMode Mode = (UnixFileMode)0b110_100_100, long Mtime = 1_700_000_000);

    public static byte[] Tar(params TarFile[] files)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, file.Name)
                {
                    Uid = file.Uid, Gid = file.Gid, Mode = file.Mode, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(file.Mtime),
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file.Content)),
                };
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    /// <summary>gzip with the header's mtime set (GZipStream writes 0; the bytes 4..7 are patched, as gzip would write them).</summary>
    public static byte[] Gzip(byte[] content, uint mtime = 0)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(content);
        var bytes = output.ToArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(4), mtime);
        return bytes;
    }

    public static byte[] Zip(params (string Name, string Content, DateTimeOffset Time)[] entries)
    {
        var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, time) in entries)
            {
                var entry = archive.CreateEntry(name);
                entry.LastWriteTime = time;
                using var stream = entry.Open();
                stream.Write(System.Text.Encoding.UTF8.GetBytes(content));
            }
        }
        return output.ToArray();
    }

    /// <summary>An ar archive (as .deb uses) with the given members: name, mtime, uid, content.</summary>
    public static byte[] Ar(params (string Name, long Mtime, int Uid, byte[] Content)[] members)
    {
        var output = new MemoryStream();
        output.Write("!<arch>\n"u8);
        foreach (var (name, mtime, uid, content) in members)
        {
            var header = $"{name,-16}{mtime,-12}{uid,-6}{uid,-6}{"100644",-8}{content.Length,-10}`\n";
            output.Write(System.Text.Encoding.ASCII.GetBytes(header));
            output.Write(content);
            if (content.Length % 2 == 1) output.WriteByte((byte)'\n');
        }
        return output.ToArray();
    }
}
