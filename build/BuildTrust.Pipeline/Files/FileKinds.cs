using System.Runtime.InteropServices;

namespace BuildTrust.Pipeline.Files;

/// <summary>
/// Tells a regular file from a FIFO or a device before opening it (.NET reports both as a file of length 0, and opening
/// a FIFO blocks until someone writes). Linux <c>statx</c>, whose structure has the same layout on every architecture.
/// </summary>
public static partial class FileKinds
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int NoFollow = 0x100; // AT_SYMLINK_NOFOLLOW
    private const uint TypeField = 0x1; // STATX_TYPE
    private const int ModeOffset = 28; // struct statx: mask, blksize (u32), attributes (u64), nlink, uid, gid (u32), then mode (u16)
    private const int NoSuchEntry = 2, NotADirectory = 20;

    /// <param name="followLinks">Report what a symbolic link leads to instead of the link itself.</param>
    public static FileKind Of(string path, bool followLinks = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var buffer = new byte[256];
        if (Statx(CurrentDirectory, path, followLinks ? 0 : NoFollow, TypeField, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is NoSuchEntry or NotADirectory ? FileKind.Missing : throw new IOException($"{path}: cannot read its type (errno {error})");
        }
        return (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
        {
            0x8000 => FileKind.RegularFile,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Special,
        };
    }

    /// <summary>For messages: "a FIFO, socket or device", "missing", ...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "missing",
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        _ => "a FIFO, socket or device",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
