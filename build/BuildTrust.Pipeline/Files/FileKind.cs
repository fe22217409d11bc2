namespace BuildTrust.Pipeline.Files;

/// <summary>The type of a directory entry, as <c>lstat</c> sees it (a symbolic link is itself, never its target).</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, socket or device: opening one may block forever or read without end.</summary>
    Special,
}
