namespace BuildTrust.Verifiers.Policy.Check;

/// <summary>What <c>policy check</c> found in a policy: every maintainer and key with its evidence as verified, and the findings.</summary>
/// <param name="CheckedOn">The day the evidence and validity windows were judged at.</param>
public sealed record PolicyCheckReport(
    string Source, string Sha256, DateOnly CheckedOn, string Require, bool UserVerification, bool RequireTouch, int Reviews, int PolicyChanges,
    int Builders, int? Quorum, IReadOnlyList<MaintainerReport> Maintainers, IReadOnlyList<PolicyFinding> Findings)
{
    /// <summary>Some rule can never be met as written (exit 1).</summary>
    public bool NeverMet => Findings.Any(f => f.Severity == FindingSeverity.NeverMet);
}
