using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Commits;

/// <summary>The source gate: every commit of a range judged by <see cref="CommitSignatureGate"/>.</summary>
public static class SourceGate
{
    /// <summary>
    /// Resolves the range in the repository at <paramref name="repositoryPath"/>. Throws
    /// <see cref="CommitRangeException"/> for an unknown revision, a missing repository or an empty range.
    /// </summary>
    public static SourceGateRun Start(string repositoryPath, CommitRange range, ReleasePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(policy);
        var source = GitCommitSource.Open(repositoryPath);
        try
        {
            var include = source.Resolve(range.Include);
            var exclude = range.Exclude is null ? null : source.Resolve(range.Exclude);
            if (exclude is not null && source.IsAncestor(include, exclude))
                throw new CommitRangeException($"the range '{range}' selects no commits");
            var scope = new SourceGateScope(repositoryPath, range.ToString(), include, exclude, policy.Source, policy.Sha256);
            return new SourceGateRun(source, range, policy, scope);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Runs the gate and keeps every verdict in memory.</summary>
    public static SourceGateReport Verify(string repositoryPath, CommitRange range, ReleasePolicy policy, CancellationToken cancellationToken = default)
    {
        using var run = Start(repositoryPath, range, policy);
        return new SourceGateReport(run.Scope, run.Verdicts(cancellationToken).ToList());
    }
}
