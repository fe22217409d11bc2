using Microsoft.Win32.SafeHandles;

namespace BuildTrust.Verifiers.Files;

/// <summary>
/// Opens files that an attacker may have placed: policies, keys, attestations, release files, artifacts. Only a
/// regular file is opened, reached through no symbolic link, and it is read with a cap that holds while reading
/// (the length a file claims is not trusted). A FIFO, device or socket is refused before anything blocks on it:
/// the file is opened non-blocking and its type taken from the open descriptor, not from a separate look-up.
/// </summary>
public static class UntrustedFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading. Every component of the path as written must be a real folder or
    /// file (a relative path's components from the current directory on; an absolute path's from the root).
    /// Throws <see cref="UntrustedFileException"/> naming the path otherwise.
    /// </summary>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RefuseLinksOnTheWay(path);
        var handle = LinuxFiles.Supported ? OpenNoFollow(path) : OpenPortable(path);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads the whole file, refusing it once more than <paramref name="maximumBytes"/> have been read.</summary>
    public static byte[] ReadAll(string path, int maximumBytes)
    {
        using var stream = OpenRead(path, bufferSize: 0);
        return ReadCapped(stream, maximumBytes, path);
    }

    /// <summary>Reads <paramref name="path"/> when it exists; null when nothing is there (a link or a FIFO in its place is still refused).</summary>
    public static byte[]? ReadIfPresent(string path, int maximumBytes) =>
        Exists(path) ? ReadAll(path, maximumBytes) : null;

    /// <summary>Whether anything at all (file, folder, link, FIFO) is at <paramref name="path"/>, without following a link.</summary>
    public static bool Exists(string path) => FileKinds.Of(path) != FileKind.Missing;

    /// <summary>Refuses <paramref name="path"/> unless every component of it is a folder or file, not a symbolic link.</summary>
    public static void RefuseLinksOnTheWay(string path)
    {
        var full = path;
        var prefix = Path.IsPathRooted(full) ? Path.GetPathRoot(full)! : "";
        var parts = full[prefix.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = prefix;
        foreach (var part in parts)
        {
            current = current.Length == 0 ? part : Path.Combine(current, part);
            if (part is "." or "..") continue;
            if (IsLink(current)) throw new UntrustedFileException($"{path}: {current} is a symbolic link; only real files and folders are read");
        }
    }

    private static bool IsLink(string path) => FileKinds.Of(path) == FileKind.SymbolicLink;

    /// <summary>
    /// Reads a file found by listing a folder the caller has already checked (<see cref="RefuseLinksOnTheWay"/> on it, the
    /// listing skipping links): as <see cref="ReadAll"/>, but without checking every folder on the way again, which costs a
    /// look-up per path component and file when thousands of files are read from one checked tree. The file itself is still
    /// opened without following a link, refused unless regular, and read with the cap.
    /// </summary>
    public static byte[] ReadListedFile(string path, int maximumBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(LinuxFiles.Supported ? OpenNoFollow(path) : OpenPortable(path), FileAccess.Read, bufferSize: 0);
        return ReadCapped(stream, maximumBytes, path);
    }

    internal static byte[] ReadCapped(Stream stream, int maximumBytes, string path)
    {
        // The size a file claims only sizes the first buffer (most files are then read in one call); the cap holds on what is read.
        long claimed = 0;
        try
        {
            claimed = stream.CanSeek ? stream.Length : 0;
        }
        catch (IOException)
        {
        }
        var buffer = new byte[(int)Math.Clamp(claimed + 1, 1, Math.Min(64L * 1024, maximumBytes + 1L))];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled > maximumBytes) throw new UntrustedFileException($"{path}: larger than the {maximumBytes} bytes accepted");
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maximumBytes + 1L));
            }
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0) return buffer.AsSpan(0, filled).ToArray();
            filled += read;
            if (filled > maximumBytes) throw new UntrustedFileException($"{path}: larger than the {maximumBytes} bytes accepted");
        }
    }

    private static SafeFileHandle OpenNoFollow(string path)
    {
        var handle = LinuxFiles.OpenReadNoFollowNonBlocking(path, out var error);
        if (handle is null)
        {
            throw error switch
            {
                LinuxFiles.NoSuchFile => new UntrustedFileException($"{path}: file not found"),
                LinuxFiles.TooManyLinks => new UntrustedFileException($"{path}: is a symbolic link; only regular files are read"),
                LinuxFiles.PermissionDenied => new UntrustedFileException($"{path}: permission denied"),
                LinuxFiles.IsADirectory => new UntrustedFileException($"{path}: is a folder, not a regular file"),
                _ => new UntrustedFileException($"{path}: cannot be opened (errno {error})"),
            };
        }
        var type = LinuxFiles.TypeOf(handle);
        if (type != FileKind.RegularFile)
        {
            handle.Dispose();
            throw new UntrustedFileException($"{path}: is {Describe(type)}, not a regular file");
        }
        return handle;
    }

    private static SafeFileHandle OpenPortable(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw new UntrustedFileException($"{path}: is a symbolic link; only regular files are read");
        if (!info.Exists) throw new UntrustedFileException(Directory.Exists(path) ? $"{path}: is a folder, not a regular file" : $"{path}: file not found");
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UntrustedFileException($"{path}: cannot be opened: {e.Message}");
        }
    }

    internal static string Describe(FileKind? type) => FileKinds.Describe(type ?? FileKind.Missing);
}
