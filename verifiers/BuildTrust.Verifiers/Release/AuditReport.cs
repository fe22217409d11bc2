using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Verifiers.Release;

/// <summary>An audit's outcome: every check in order, and the commit the release was built from (when the provenance agrees on one).</summary>
public sealed record AuditReport(string? Commit, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>The worst status; an audit that checked nothing fails.</summary>
    public CheckStatus Status => Checks.Count == 0 ? CheckStatus.Failed : Checks.Max(c => c.Status);
}
