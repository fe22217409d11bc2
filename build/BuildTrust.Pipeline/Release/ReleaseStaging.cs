namespace BuildTrust.Pipeline.Release;

/// <summary>
/// Writes a signed release so that the build folder shows either no release or a complete one. Everything is written into
/// a hidden staging folder inside the build folder (same file system), flushed to disk, and only then moved into place
/// with one rename per top-level entry; a failure at any point (disk full, a cancelled or interrupted run, a token that
/// went away) removes the staging folder and leaves the build folder as it was. Nothing already in the build folder is
/// replaced or written through: an entry in the way (a file, folder or planted link) refuses the release up front.
/// </summary>
internal sealed class ReleaseStaging : IDisposable
{
    public const string Prefix = ".buildtrust-signing-";
    private readonly string _target;
    private readonly string _staging;
    private readonly List<string> _written = [];
    private bool _committed;

    private ReleaseStaging(string target, string staging)
    {
        _target = target;
        _staging = staging;
    }

    /// <summary>Entries the release will put at the top of the build folder that are already there, as refusals; empty when the way is clear.</summary>
    public static IReadOnlyList<string> InTheWay(string directory, IEnumerable<string> relativePaths) =>
        [.. relativePaths.Select(p => p.Split('/')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(top => Exists(Path.Combine(directory, top)))
            .Select(top => $"{Path.Combine(directory, top)} is already there; a release is written into a build folder that holds no release (build again into a fresh folder)")];

    public static ReleaseStaging Begin(string directory)
    {
        var target = Path.GetFullPath(directory);
        if (new DirectoryInfo(target).LinkTarget is not null) throw new IOException($"{target} is a symbolic link; refusing to write a release through it");
        // A staging folder left by a run that was killed outright is ours to remove.
        foreach (var stale in Directory.EnumerateDirectories(target, Prefix + "*")) Directory.Delete(stale, recursive: true);
        var staging = Path.Combine(target, Prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(staging);
        return new ReleaseStaging(target, staging);
    }

    /// <summary>The relative paths written so far.</summary>
    public IReadOnlyList<string> Written => _written;

    public void Write(string relative, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(relative);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    public FileStream Create(string relative)
    {
        var path = Path.Combine(_staging, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _written.Add(relative);
        return stream;
    }

    public string PathOf(string relative) => Path.Combine(_staging, relative);

    /// <summary>Moves every top-level entry into the build folder; if one cannot be moved, those already moved go back.</summary>
    public void Commit()
    {
        var moved = new List<(string From, string To)>();
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(_staging).Order(StringComparer.Ordinal))
            {
                var to = Path.Combine(_target, Path.GetFileName(entry));
                if (Exists(to)) throw new IOException($"{to} appeared while the release was written; refusing to replace it");
                if (Directory.Exists(entry)) Directory.Move(entry, to);
                else File.Move(entry, to, overwrite: false);
                moved.Add((entry, to));
            }
            _committed = true;
        }
        catch
        {
            foreach (var (from, to) in Enumerable.Reverse(moved))
            {
                if (Directory.Exists(to)) Directory.Move(to, from);
                else File.Move(to, from);
            }
            throw;
        }
        finally
        {
            Directory.Delete(_staging, recursive: true);
        }
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true);
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
