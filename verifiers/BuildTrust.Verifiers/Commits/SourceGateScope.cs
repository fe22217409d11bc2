using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Verifiers.Commits;

/// <summary>What a source gate run judges: the repository, the range as given and resolved, and the policy.</summary>
public sealed record SourceGateScope(string Repository, string Range, string IncludeCommit, string? ExcludeCommit, string PolicySource, string PolicySha256)
{
    /// <summary>The trust-root commit the policy history is authenticated from, when one is used.</summary>
    public string? TrustRoot { get; init; }

    /// <summary>What vouches for the policy. A run whose policy is not authenticated never passes.</summary>
    public PolicyAuthority Authority { get; init; } = PolicyAuthority.GivenByCaller;

    /// <summary>Where the policy's authority comes from, in words.</summary>
    public string? AuthorityOrigin { get; init; }

    /// <summary>Why the tip policy's exemptions were not honoured, when they were not.</summary>
    public string? ExemptionsIgnored { get; init; }
}
