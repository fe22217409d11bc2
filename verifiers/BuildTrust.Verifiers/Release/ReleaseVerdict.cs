using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Release;

/// <summary>The outcome of <see cref="ReleaseDecision"/>: its checks, and when it passed, what is to be signed.</summary>
public sealed record ReleaseVerdict(IReadOnlyList<CheckResult> Checks)
{
    /// <summary>Every check passed: the release may be signed.</summary>
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>A check could not read its input (a malformed file, no authenticated policy): bad input rather than a refusal.</summary>
    public bool Malformed => Checks.Any(c => c.Status == CheckStatus.Malformed);

    /// <summary>The built commit, once the provenance agreed on one.</summary>
    public string? Commit { get; init; }

    public LoadedPolicy? Policy { get; init; }

    public ProvenanceSetResult? Provenance { get; init; }

    /// <summary>The builder whose artifacts are copied into the release (one of the agreeing ones).</summary>
    public string? AgreeingBuilder { get; init; }
}
