using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Verifiers.Commits;

/// <summary>Counts of commit verdicts; the gate passes only when there is at least one commit and all passed.</summary>
public sealed record SourceGateSummary(int Passed, int Failed, int Malformed)
{
    public int Total => Passed + Failed + Malformed;

    /// <summary>How many of the <see cref="Failed"/> commits lack only reviews (<see cref="CommitVerdict.PendingReview"/>).</summary>
    public int PendingReview { get; init; }

    public CheckStatus Status =>
        Malformed > 0 ? CheckStatus.Malformed : Failed > 0 || Total == 0 ? CheckStatus.Failed : CheckStatus.Passed;

    public SourceGateSummary Add(CheckStatus status) => status switch
    {
        CheckStatus.Passed => this with { Passed = Passed + 1 },
        CheckStatus.Failed => this with { Failed = Failed + 1 },
        _ => this with { Malformed = Malformed + 1 },
    };

    /// <summary>Counts one verdict, and whether it is only pending review.</summary>
    public SourceGateSummary Add(CommitVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var added = Add(verdict.Status);
        return verdict.PendingReview ? added with { PendingReview = PendingReview + 1 } : added;
    }

    public static SourceGateSummary Of(IEnumerable<CommitVerdict> verdicts) =>
        verdicts.Aggregate(new SourceGateSummary(0, 0, 0), (summary, verdict) => summary.Add(verdict));
}
