namespace BuildTrust.Verifiers.Files;

/// <summary>The type of a directory entry, as <c>lstat</c> sees it (a symbolic link is itself, never its target).</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,

    /// <summary>Opening a FIFO blocks until someone writes to it.</summary>
    Fifo,

    /// <summary>A character device (<c>/dev/zero</c> reads without end).</summary>
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}
