namespace BuildTrust.Verifiers.Files;

/// <summary>The type bits of a file's mode (<c>S_IFMT</c>).</summary>
public enum LinuxFileType
{
    Other,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}
