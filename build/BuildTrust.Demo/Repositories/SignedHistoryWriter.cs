using System.Text;
using BuildTrust.Demo.Keys;
using BuildTrust.Verifiers.Commits.Reviews;
using LibGit2Sharp;

namespace BuildTrust.Demo.Repositories;

/// <summary>
/// Writes long signed histories fast, in process (LibGit2Sharp object writes, no git processes): for the demo, the
/// benchmarks and the tests. Every commit changes the files given and is signed by the signer chosen for it.
/// </summary>
public sealed class SignedHistoryWriter : IDisposable
{
    public const string DefaultAuthor = "BuildTrust Demo <demo@buildtrust.invalid>";
    private readonly LibGit2Sharp.Repository _repository;
    private string _branch;
    private string? _head;

    private SignedHistoryWriter(LibGit2Sharp.Repository repository, string branch)
    {
        _repository = repository;
        _branch = $"refs/heads/{branch}";
    }

    public static SignedHistoryWriter Create(string path, string branch = "main")
    {
        LibGit2Sharp.Repository.Init(path);
        var repository = new LibGit2Sharp.Repository(path);
        repository.Refs.UpdateTarget("HEAD", $"refs/heads/{branch}");
        return new SignedHistoryWriter(repository, branch);
    }

    public string? Head => _head;

    /// <summary>Appends one commit holding <paramref name="files"/> (path → content) on top of the previous tree.</summary>
    public string Commit(IReadOnlyDictionary<string, string> files, string message, ISigner? signer, DateTimeOffset when,
        string author = DefaultAuthor, Func<byte[], byte[]>? tamper = null, IReadOnlyList<string>? mergeParents = null)
    {
        var definition = _head is null ? new TreeDefinition() : TreeDefinition.From(_repository.Lookup<LibGit2Sharp.Commit>(_head).Tree);
        foreach (var (path, content) in files)
        {
            var blob = _repository.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(content)));
            definition.Add(path, blob, Mode.NonExecutableFile);
        }
        var tree = _repository.ObjectDatabase.CreateTree(definition);
        string[] parents = _head is null ? [] : [_head, .. mergeParents ?? []];
        var payload = CommitPayload.Build(tree.Sha, parents, author, author, when, message);
        var raw = signer is null ? payload : CommitPayload.InsertSignature(payload, signer.Sign(payload, "git"));
        _head = _repository.ObjectDatabase.Write<LibGit2Sharp.Commit>(tamper is null ? raw : tamper(raw)).Sha;
        _repository.Refs.Add(_branch, new ObjectId(_head), allowOverwrite: true);
        return _head;
    }

    /// <summary>Appends a review approval of <paramref name="commit"/> by <paramref name="reviewer"/> to the commit's review note.</summary>
    public void Approve(string commit, ISigner reviewer, DateTimeOffset when)
    {
        var record = ReviewApproval.Record(commit);
        var signature = reviewer.Sign(record, ReviewApproval.Namespace);
        var target = new ObjectId(commit);
        var existing = _repository.Notes[target].FirstOrDefault(n => n.Namespace == ReviewNotesNamespace)?.Message;
        var person = new LibGit2Sharp.Signature("BuildTrust demo", "demo@buildtrust.invalid", when);
        _repository.Notes.Add(target, existing is null ? signature : existing.TrimEnd('\n') + "\n" + signature, person, person, ReviewNotesNamespace);
    }

    private const string ReviewNotesNamespace = "buildtrust-reviews";

    /// <summary>Writes many review approvals at once as one notes commit (flat notes tree): approved commit → signer.</summary>
    public void WriteApprovals(IEnumerable<(string Commit, ISigner Reviewer)> approvals, DateTimeOffset when)
    {
        var tree = new TreeDefinition();
        foreach (var (commit, reviewer) in approvals)
        {
            var signature = reviewer.Sign(ReviewApproval.Record(commit), ReviewApproval.Namespace);
            tree.Add(commit, _repository.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.ASCII.GetBytes(signature))), Mode.NonExecutableFile);
        }
        var person = new LibGit2Sharp.Signature("BuildTrust bench", "bench@buildtrust.invalid", when);
        var notes = _repository.ObjectDatabase.CreateCommit(person, person, "Notes added by SignedHistoryWriter", _repository.ObjectDatabase.CreateTree(tree), [], prettifyMessage: false);
        _repository.Refs.Add($"refs/notes/{ReviewNotesNamespace}", notes.Id, allowOverwrite: true);
    }

    /// <summary>Continues the history on a new branch starting at <paramref name="from"/> (default: the current head).</summary>
    public void StartBranch(string name, string? from = null)
    {
        _branch = $"refs/heads/{name}";
        _head = from ?? _head;
        if (_head is not null) _repository.Refs.Add(_branch, new ObjectId(_head), allowOverwrite: true);
    }

    /// <summary>Makes the working tree match the branch, so the repository looks like an ordinary clone.</summary>
    public void CheckOut(string branch)
    {
        _repository.Refs.UpdateTarget("HEAD", $"refs/heads/{branch}");
        _repository.Reset(ResetMode.Hard, _repository.Head.Tip);
    }

    public void Dispose() => _repository.Dispose();
}
