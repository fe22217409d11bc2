namespace BuildTrust.Verifiers.Files;

/// <summary>
/// Tells a regular file from a link, a FIFO or a device before opening it (.NET reports a FIFO or a device as a file of
/// length 0, and opening a FIFO blocks until someone writes). Linux <c>statx</c>; elsewhere, what .NET can tell.
/// </summary>
public static class FileKinds
{
    /// <param name="followLinks">Report what a symbolic link leads to instead of the link itself.</param>
    public static FileKind Of(string path, bool followLinks = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (LinuxFiles.Supported) return LinuxFiles.TypeOf(path, followLinks) ?? FileKind.Missing;
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return FileKind.SymbolicLink;
        return Directory.Exists(path) ? FileKind.Directory : info.Exists ? FileKind.RegularFile : FileKind.Missing;
    }

    /// <summary>For messages: "a FIFO (named pipe)", "a symbolic link", "missing", ...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };
}
