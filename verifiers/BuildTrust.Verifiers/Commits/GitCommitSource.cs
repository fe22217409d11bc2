using LibGit2Sharp;

namespace BuildTrust.Verifiers.Commits;

/// <summary>Reads commits and their signatures from a git repository (the only place LibGit2Sharp is used).</summary>
public sealed class GitCommitSource : IDisposable
{
    /// <summary>Commit objects larger than this are refused as malformed rather than read into memory.</summary>
    public const int MaximumCommitBytes = 16 * 1024 * 1024;

    private readonly Repository _repository;
    private readonly RawObjectReader _raw;

    private GitCommitSource(Repository repository)
    {
        _repository = repository;
        _raw = new RawObjectReader(repository.Info.Path);
    }

    public static GitCommitSource Open(string path)
    {
        try
        {
            var root = Repository.Discover(path) ?? throw new CommitRangeException($"'{path}' is not inside a git repository");
            return new GitCommitSource(new Repository(root));
        }
        catch (LibGit2SharpException e)
        {
            throw new CommitRangeException($"cannot open the git repository at '{path}': {e.Message}");
        }
    }

    /// <summary>Resolves a revision to a full commit id; throws <see cref="CommitRangeException"/> when unknown.</summary>
    public string Resolve(string revision)
    {
        try
        {
            var target = _repository.Lookup(revision)
                ?? throw new CommitRangeException($"unknown revision '{revision}' (no such commit in this repository)");
            return target.Peel<Commit>().Sha;
        }
        catch (LibGit2SharpException e)
        {
            throw new CommitRangeException($"unknown revision '{revision}': {e.Message}");
        }
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="descendant"/> or one of its ancestors.</summary>
    public bool IsAncestor(string ancestor, string descendant)
    {
        if (ancestor == descendant) return true;
        var mergeBase = _repository.ObjectDatabase.FindMergeBase(
            _repository.Lookup<Commit>(ancestor), _repository.Lookup<Commit>(descendant));
        return mergeBase?.Sha == ancestor;
    }

    /// <summary>The commits of the range, newest first (git log order), read lazily.</summary>
    public IEnumerable<CommitRecord> Enumerate(CommitRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var filter = new CommitFilter
        {
            IncludeReachableFrom = Resolve(range.Include),
            ExcludeReachableFrom = range.Exclude is null ? null : Resolve(range.Exclude),
            SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time,
        };
        return Read(filter);
    }

    private IEnumerable<CommitRecord> Read(CommitFilter filter)
    {
        using var enumerator = _repository.Commits.QueryBy(filter).GetEnumerator();
        while (true)
        {
            Commit commit;
            try
            {
                if (!enumerator.MoveNext()) yield break;
                commit = enumerator.Current;
            }
            catch (LibGit2SharpException e)
            {
                throw new CommitRangeException($"cannot walk the history: {e.Message}");
            }
            yield return ReadOne(commit);
        }
    }

    private CommitRecord ReadOne(Commit commit)
    {
        var id = commit.Sha;
        try
        {
            return GitCommitObject.Parse(id, _raw.ReadCommit(id, MaximumCommitBytes));
        }
        catch (InvalidDataException e)
        {
            return new CommitRecord(id, "", default, null, [], e.Message);
        }
    }

    public void Dispose()
    {
        _raw.Dispose();
        _repository.Dispose();
    }
}
