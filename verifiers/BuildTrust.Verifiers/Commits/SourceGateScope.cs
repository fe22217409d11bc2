namespace BuildTrust.Verifiers.Commits;

/// <summary>What a source gate run judges: the repository, the range as given and resolved, and the policy.</summary>
public sealed record SourceGateScope(string Repository, string Range, string IncludeCommit, string? ExcludeCommit, string PolicySource, string PolicySha256)
{
    /// <summary>The trust-root commit the policy history is authenticated from, when one is used.</summary>
    public string? TrustRoot { get; init; }
}
