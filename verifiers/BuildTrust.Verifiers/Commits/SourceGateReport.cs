using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Verifiers.Commits;

/// <summary>The source gate's result over a range: one verdict per commit, newest first.</summary>
public sealed record SourceGateReport(
    string Repository,
    string Range,
    string IncludeCommit,
    string? ExcludeCommit,
    string PolicySource,
    string PolicySha256,
    IReadOnlyList<CommitVerdict> Commits)
{
    public int Passed => Commits.Count(c => c.Status == CheckStatus.Passed);

    public int Failed => Commits.Count(c => c.Status == CheckStatus.Failed);

    public int Malformed => Commits.Count(c => c.Status == CheckStatus.Malformed);

    /// <summary>Passed only when there is at least one commit and every commit passed.</summary>
    public CheckStatus Status => Commits.Count == 0 ? CheckStatus.Failed : Commits.Max(c => c.Status);
}
