using System.Formats.Tar;
using System.Security.Cryptography;
using BuildTrust.Verifiers.Release;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Reads the tar stream of <c>/out</c> that the engine returns (container output: hostile) and writes the
/// files the globs match under a destination folder, hashing each while it streams. Only regular files and
/// folders are accepted: a symlink, hard link, device or FIFO anywhere refuses the whole collection, as does
/// a path that is absolute, contains <c>..</c> or would land outside the destination, and so does a collected
/// name that a listing could show otherwise than it is (<see cref="ReleaseLayout.NameProblem"/>: printable ASCII
/// without backslash only). Names in messages are shown with <see cref="ReleaseLayout.Printable"/>.
/// </summary>
public sealed class OutputCollector(OutputGlob globs, long maxTotalBytes = 16L << 30, int maxFiles = 200_000)
{
    public async Task<IReadOnlyList<CollectedArtifact>> CollectAsync(Stream tar, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tar);
        var root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        var artifacts = new List<CollectedArtifact>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var entries = 0;
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
            }
            // TarReader's refusals of a malformed archive; found by fuzzing: InvalidOperationException (an extended header claiming
            // more than it may hold), OverflowException (a base-256 number too large for its field), NotSupportedException (GNU sparse entries).
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or InvalidOperationException or OverflowException or NotSupportedException)
            {
                throw new CollectionException($"the output archive is malformed: {e.Message}");
            }
            if (entry is null) break;
            if (++entries > maxFiles) throw new CollectionException($"more than {maxFiles} entries under /out");
            var relative = RelativeName(entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    continue;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    throw new CollectionException($"/out/{ReleaseLayout.Printable(relative)} is a {(entry.EntryType == TarEntryType.SymbolicLink ? "symbolic" : "hard")} link (to '{ReleaseLayout.Printable(entry.LinkName)}'); links are not collected");
                default:
                    throw new CollectionException($"/out/{ReleaseLayout.Printable(relative)} is a {entry.EntryType} entry; only regular files are collected");
            }
            if (relative.Length == 0) throw new CollectionException("/out itself is not a folder");
            if (!seen.Add(relative)) throw new CollectionException($"/out/{ReleaseLayout.Printable(relative)} appears twice in the output archive");
            // No file system holds a file that is also a folder: an archive saying so is forged, and writing it would fail midway.
            if (folders.Contains(relative) || Ancestors(relative).Any(seen.Contains))
                throw new CollectionException($"/out/{ReleaseLayout.Printable(relative)} is both a file and a folder in the output archive");
            folders.UnionWith(Ancestors(relative));
            if (!globs.Matches(relative)) continue;
            if (ReleaseLayout.NameProblem(relative) is { } problem) throw new CollectionException(problem);
            total += entry.Length;
            if (total > maxTotalBytes) throw new CollectionException($"the outputs exceed {maxTotalBytes} bytes");
            var target = Path.GetFullPath(Path.Combine(root, relative));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new CollectionException($"/out/{ReleaseLayout.Printable(relative)} would be written outside the output folder");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            artifacts.Add(new CollectedArtifact(relative, entry.Length, await CopyHashedAsync(entry, target, cancellationToken)));
        }
        artifacts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return artifacts;
    }

    private static async Task<string> CopyHashedAsync(TarEntry entry, string target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        if (entry.DataStream is { } data)
        {
            var buffer = new byte[1 << 20];
            long remaining = entry.Length;
            while (remaining > 0)
            {
                var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0) throw new CollectionException($"{entry.Name} is truncated in the output archive");
                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                remaining -= read;
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The entry's path below <c>out/</c>; anything else (absolute, <c>..</c>, another top folder, odd characters) is refused.</summary>
    private static string RelativeName(string name)
    {
        if (name.Contains('\0') || name.Contains('\\') || name.StartsWith('/'))
            throw new CollectionException($"output entry '{ReleaseLayout.Printable(name)}' has an unsafe name");
        var trimmed = name.TrimEnd('/');
        if (trimmed == "out") return "";
        if (!trimmed.StartsWith("out/", StringComparison.Ordinal)) throw new CollectionException($"output entry '{ReleaseLayout.Printable(name)}' is not under /out");
        var relative = trimmed["out/".Length..];
        var segments = relative.Split('/');
        if (segments.Any(segment => segment is "" or "." or ".."))
            throw new CollectionException($"output entry '{ReleaseLayout.Printable(name)}' escapes or is not a plain path under /out");
        // Linux's limits (NAME_MAX, and well under PATH_MAX once under the destination): a longer name cannot have been a file in /out.
        if (segments.Any(segment => System.Text.Encoding.UTF8.GetByteCount(segment) > MaximumNameBytes) || System.Text.Encoding.UTF8.GetByteCount(relative) > MaximumPathBytes)
            throw new CollectionException($"output entry '{ReleaseLayout.Printable(name[..Math.Min(name.Length, 80)])}...' has a name longer than {MaximumNameBytes} bytes or a path longer than {MaximumPathBytes} bytes");
        return relative;
    }

    private const int MaximumNameBytes = 255;
    private const int MaximumPathBytes = 2048;

    /// <summary>The folders above a relative path: <c>a/b/c</c> gives <c>a</c> and <c>a/b</c>.</summary>
    private static IEnumerable<string> Ancestors(string relative)
    {
        for (var slash = relative.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = relative.IndexOf('/', slash + 1))
            yield return relative[..slash];
    }
}
