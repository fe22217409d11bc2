namespace BuildTrust.Verifiers.Commits;

/// <summary>What a source gate run judges: the repository, the range as given and resolved, and the policy.</summary>
public sealed record SourceGateScope(string Repository, string Range, string IncludeCommit, string? ExcludeCommit, string PolicySource, string PolicySha256);
