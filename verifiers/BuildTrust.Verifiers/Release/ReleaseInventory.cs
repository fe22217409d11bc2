using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// Every entry of a release directory, listed without following any link: the regular files (relative paths with '/'),
/// and anything that is neither a regular file nor a folder (links, FIFOs, devices, sockets), which is never opened.
/// </summary>
public sealed record ReleaseInventory(IReadOnlySet<string> Files, IReadOnlyList<(string Path, FileKind Type)> Special)
{
    /// <summary>Throws <see cref="UntrustedFileException"/> when the directory is missing, reached through a link, or holds more than <paramref name="maximumEntries"/> entries.</summary>
    public static ReleaseInventory Take(string root, int maximumEntries)
    {
        if (!Directory.Exists(root) || new DirectoryInfo(root).LinkTarget is not null)
            throw new UntrustedFileException($"{root}: not a release folder (missing, or a symbolic link)");
        UntrustedFile.RefuseLinksOnTheWay(root);
        var files = new HashSet<string>(StringComparer.Ordinal);
        var special = new List<(string, FileKind)>();
        var count = 0;
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
            {
                if (++count > maximumEntries) throw new UntrustedFileException($"{root}: more than {maximumEntries} entries; refusing to audit it");
                var relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
                var type = FileKinds.Of(entry);
                if (type == FileKind.Directory) pending.Push(entry);
                else if (type == FileKind.RegularFile) files.Add(relative);
                else special.Add((relative, type));
            }
        }
        special.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return new ReleaseInventory(files, special);
    }
}
