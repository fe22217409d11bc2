using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Verifiers.Commits;

/// <summary>What the source gate concluded about one commit, with the checks behind it.</summary>
/// <param name="Signer">The maintainer whose key made the signature, when the key is in the policy.</param>
/// <param name="HardwareEvidence">What proves (or fails to prove) the key is hardware-held.</param>
public sealed record CommitVerdict(
    string CommitId,
    string Summary,
    DateTimeOffset CommittedAt,
    string? Signer,
    string? KeyType,
    string? KeyFingerprint,
    string? HardwareEvidence,
    IReadOnlyList<CheckResult> Checks)
{
    public CheckStatus Status => Checks.Count == 0 ? CheckStatus.Failed : Checks.Max(c => c.Status);

    /// <summary>The first check that did not pass, if any: the reason this commit is refused.</summary>
    public CheckResult? FirstFailure => Checks.FirstOrDefault(c => !c.Passed);
}
