using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits.Reviews;

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

    /// <summary>
    /// The commit satisfies the policy except for its reviews: every other check passed and the only failure is the review
    /// count. An approval fixes it (<c>buildtrust review approve</c>), so reports tell it apart from a policy violation; it
    /// still fails the run.
    /// </summary>
    public bool PendingReview => Status == CheckStatus.Failed && Checks.Count(c => !c.Passed) == 1 && FirstFailure!.Id == ReviewCheckId;

    /// <summary>The id of the review check (see <see cref="PendingReview"/>).</summary>
    public const string ReviewCheckId = "reviews";

    /// <summary>The commit that last changed the policy this commit was judged by (trust-root mode), else null.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>Review evidence found for the commit, counted or not, with the reason.</summary>
    public IReadOnlyList<ReviewEvidence> Reviews { get; init; } = [];

    /// <summary>When the policy exempts this commit from every check: the reason given there.</summary>
    public string? Exemption { get; init; }

    /// <summary>Why the commit is in the report: <c>range</c>, <c>trust-root</c>, or <c>policy-history</c> (outside the range, checked because it changed the policy).</summary>
    public string Context { get; init; } = "range";
}
