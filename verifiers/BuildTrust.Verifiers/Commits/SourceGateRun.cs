using BuildTrust.Verifiers.Git;
namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// An open source gate over a resolved, non-empty range. <see cref="Verdicts"/> streams one verdict per commit
/// in git log order while verifying in parallel, so memory does not grow with the length of the range.
/// </summary>
public sealed class SourceGateRun : IDisposable
{
    private readonly GitCommitSource _source;
    private readonly Func<CancellationToken, IEnumerable<CommitVerdict>> _verdicts;

    internal SourceGateRun(GitCommitSource source, SourceGateScope scope, Func<CancellationToken, IEnumerable<CommitVerdict>> verdicts)
    {
        _source = source;
        _verdicts = verdicts;
        Scope = scope;
    }

    public SourceGateScope Scope { get; private set; }

    internal SourceGateRun WithScope(SourceGateScope scope)
    {
        Scope = scope;
        return this;
    }

    public IEnumerable<CommitVerdict> Verdicts(CancellationToken cancellationToken = default)
    {
        using var enumerator = _verdicts(cancellationToken).GetEnumerator();
        while (true)
        {
            try
            {
                if (!enumerator.MoveNext()) yield break;
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1 && e.InnerException is CommitRangeException inner)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
                throw;
            }
            yield return enumerator.Current;
        }
    }

    public void Dispose() => _source.Dispose();
}
