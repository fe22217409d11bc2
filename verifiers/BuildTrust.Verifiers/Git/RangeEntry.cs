namespace BuildTrust.Verifiers.Git;

/// <summary>One commit of a range: its id, and its record when the walk already had to read it.</summary>
public readonly record struct RangeEntry(string Id, CommitRecord? Record);
