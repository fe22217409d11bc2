namespace BuildTrust.Verifiers.Git;

/// <summary>What a tree entry is, by its git mode.</summary>
public enum GitEntryKind
{
    Directory,
    File,
    ExecutableFile,
    SymbolicLink,

    /// <summary>A submodule (gitlink): a commit of another repository, not part of this tree.</summary>
    Submodule,
}
