using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BuildTrust.Verifiers.Files;

/// <summary>
/// The few Linux calls .NET does not expose: <c>open</c> with <c>O_NOFOLLOW | O_NONBLOCK</c> (so a FIFO cannot make
/// the open block and a final symbolic link is refused by the kernel) and <c>statx</c> for a file's type, which has
/// the same layout on every architecture. Elsewhere <see cref="Supported"/> is false and callers use portable checks.
/// </summary>
internal static partial class LinuxFiles
{
    public const int NoSuchFile = 2, PermissionDenied = 13, IsADirectory = 21, TooManyLinks = 40;
    private const int ReadOnly = 0, NonBlocking = 0x800, CloseOnExec = 0x80000;
    private const int AtCurrentDirectory = -100, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;

    public static bool Supported { get; } = OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    // O_NOFOLLOW differs between architectures (asm-generic vs x86).
    private static int NoFollow => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;

    public static SafeFileHandle? OpenReadNoFollowNonBlocking(string path, out int error)
    {
        var fd = open(path, ReadOnly | NoFollow | NonBlocking | CloseOnExec, 0);
        error = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The type of what is at <paramref name="path"/>, or null when nothing is there.</summary>
    public static FileKind? TypeOf(string path, bool followLinks)
    {
        var buffer = new byte[256];
        var result = statx(AtCurrentDirectory, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer);
        if (result != 0) return null;
        return FromMode(BitConverter.ToUInt16(buffer, 28));
    }

    /// <summary>The type of an open file.</summary>
    public static FileKind? TypeOf(SafeFileHandle handle)
    {
        var buffer = new byte[256];
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var result = statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxType, buffer);
            return result == 0 ? FromMode(BitConverter.ToUInt16(buffer, 28)) : null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static FileKind FromMode(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.RegularFile,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
