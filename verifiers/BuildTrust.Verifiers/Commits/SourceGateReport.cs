namespace BuildTrust.Verifiers.Commits;

/// <summary>The source gate's result over a range, held in memory: one verdict per commit, newest first.</summary>
public sealed record SourceGateReport(SourceGateScope Scope, IReadOnlyList<CommitVerdict> Commits)
{
    public SourceGateSummary Summary { get; } = SourceGateSummary.Of(Commits);

    /// <summary>Every commit passed and the policy they passed under is authenticated.</summary>
    public bool Passed => Summary.Status == Checks.CheckStatus.Passed && Scope.Authority != Trust.PolicyAuthority.NotAuthenticated;
}
