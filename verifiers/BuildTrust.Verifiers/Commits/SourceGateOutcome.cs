using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Verifiers.Commits;

/// <summary>How a streamed source gate run ended: the counts, and whether the policy they were judged by is authenticated.</summary>
public sealed record SourceGateOutcome(SourceGateSummary Summary, PolicyAuthority Authority)
{
    /// <summary>Every commit passed, and under an authenticated policy (an unauthenticated one never passes).</summary>
    public bool Passed => Summary.Status == CheckStatus.Passed && Authority != PolicyAuthority.NotAuthenticated;
}
