using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// An open source gate over a resolved, non-empty range. <see cref="Verdicts"/> streams one verdict per commit
/// in git log order while verifying in parallel, so memory does not grow with the length of the range.
/// </summary>
public sealed class SourceGateRun : IDisposable
{
    private readonly GitCommitSource _source;
    private readonly CommitRange _range;
    private readonly CommitSignatureGate _gate;

    internal SourceGateRun(GitCommitSource source, CommitRange range, ReleasePolicy policy, SourceGateScope scope)
    {
        _source = source;
        _range = range;
        _gate = new CommitSignatureGate(policy);
        Scope = scope;
    }

    public SourceGateScope Scope { get; }

    public IEnumerable<CommitVerdict> Verdicts(CancellationToken cancellationToken = default)
    {
        var verdicts = _source.Enumerate(_range)
            .AsParallel()
            .AsOrdered()
            .WithCancellation(cancellationToken)
            .Select(_gate.Verify);
        using var enumerator = verdicts.GetEnumerator();
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
