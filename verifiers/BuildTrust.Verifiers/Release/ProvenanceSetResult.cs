using BuildTrust.Verifiers.Quorum;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// The outcome of checking every provenance bundle of a release against the policy, then the quorum.
/// <see cref="Problems"/> are refusals (exit 1); <see cref="Malformed"/> are unreadable files (exit 2).
/// </summary>
public sealed record ProvenanceSetResult(
    IReadOnlyList<VerifiedProvenance> Accepted,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Malformed,
    QuorumVerdict? Quorum)
{
    public bool Passed => Problems.Count == 0 && Malformed.Count == 0 && Quorum is { Passed: true };

    /// <summary>The commit every accepted bundle built (null when none, or when they disagree).</summary>
    public string? SourceCommit => Accepted.Select(a => a.Claims.SourceCommit).Distinct(StringComparer.Ordinal).Count() == 1 ? Accepted[0].Claims.SourceCommit : null;
}
