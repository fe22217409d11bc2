using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Commits;

/// <summary>Runs the commit signature gate over every commit of a range, verifying in parallel.</summary>
public static class SourceGate
{
    /// <summary>
    /// Reads the range from the repository at <paramref name="repositoryPath"/> and judges every commit.
    /// Throws <see cref="CommitRangeException"/> for an unknown revision or an empty range.
    /// </summary>
    public static SourceGateReport Verify(string repositoryPath, CommitRange range, ReleasePolicy policy, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(policy);
        using var source = GitCommitSource.Open(repositoryPath);
        var include = source.Resolve(range.Include);
        var exclude = range.Exclude is null ? null : source.Resolve(range.Exclude);
        var gate = new CommitSignatureGate(policy);
        var done = 0;
        List<CommitVerdict> verdicts;
        try
        {
            verdicts = source.Enumerate(range)
            .AsParallel()
            .AsOrdered()
            .WithCancellation(cancellationToken)
            .Select(commit =>
            {
                var verdict = gate.Verify(commit);
                var count = Interlocked.Increment(ref done);
                if (count % 256 == 0) progress?.Report(count);
                return verdict;
            })
            .ToList();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1 && e.InnerException is CommitRangeException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
        if (verdicts.Count == 0)
            throw new CommitRangeException($"the range '{range}' selects no commits");
        return new SourceGateReport(repositoryPath, range.ToString(), include, exclude, policy.Source, policy.Sha256, verdicts);
    }
}
