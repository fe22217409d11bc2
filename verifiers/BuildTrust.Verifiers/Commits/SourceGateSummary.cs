using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Verifiers.Commits;

/// <summary>Counts of commit verdicts; the gate passes only when there is at least one commit and all passed.</summary>
public sealed record SourceGateSummary(int Passed, int Failed, int Malformed)
{
    public int Total => Passed + Failed + Malformed;

    public CheckStatus Status =>
        Malformed > 0 ? CheckStatus.Malformed : Failed > 0 || Total == 0 ? CheckStatus.Failed : CheckStatus.Passed;

    public SourceGateSummary Add(CheckStatus status) => status switch
    {
        CheckStatus.Passed => this with { Passed = Passed + 1 },
        CheckStatus.Failed => this with { Failed = Failed + 1 },
        _ => this with { Malformed = Malformed + 1 },
    };

    public static SourceGateSummary Of(IEnumerable<CommitVerdict> verdicts) =>
        verdicts.Aggregate(new SourceGateSummary(0, 0, 0), (summary, verdict) => summary.Add(verdict.Status));
}
