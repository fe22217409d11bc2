using System.Text;
using BuildTrust.Testing.Ssh;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.Git;

/// <summary>A temporary repository driven by the real git CLI, with commits signed by any <see cref="ISigner"/>.</summary>
public sealed class TestRepository : IDisposable
{
    public const string Author = "Test Author <author@test.invalid>";
    private readonly TemporaryDirectory _directory;
    private int _fileCounter;

    private TestRepository(TemporaryDirectory directory) => _directory = directory;

    public static TestRepository Create()
    {
        var repository = new TestRepository(new TemporaryDirectory("buildtrust-repo-"));
        repository.Git("init", "-q", "-b", "main");
        repository.Git("config", "user.name", "Test Author");
        repository.Git("config", "user.email", "author@test.invalid");
        repository.Git("config", "commit.gpgsign", "false");
        return repository;
    }

    public string Path => _directory.Path;

    public string Head => Git("rev-parse", "HEAD");

    /// <summary>Extra environment for every git run (for example GNUPGHOME).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; set; }

    public string Git(params string[] arguments) =>
        ExternalProcess.Run("git", arguments, Path, environment: Environment).ThrowOnFailure().StandardOutput.Trim();

    /// <summary>Writes a file and commits it with <c>git commit</c>, signed with <c>-S</c> when a key is given.</summary>
    public string CommitWithGit(string message, SshKeygenKey? key = null, string? file = null, string? content = null)
    {
        StageChange(file, content);
        var arguments = new List<string> { "-c", "gpg.format=ssh" };
        if (key is not null) arguments.AddRange(["-c", $"user.signingkey={key.PrivateKeyPath}"]);
        arguments.AddRange(["commit", "-q", "-m", message]);
        if (key is not null) arguments.Add("-S");
        Git([.. arguments]);
        return Head;
    }

    /// <summary>
    /// Builds the commit object itself, signs it with <paramref name="signer"/> (or leaves it unsigned), writes it
    /// with <c>git hash-object</c> and moves the branch. <paramref name="tamper"/> may alter the signed object.
    /// </summary>
    public string CommitSignedBy(ISigner? signer, string message, DateTimeOffset? when = null, Func<byte[], byte[]>? tamper = null,
        string @namespace = "git", string? file = null, string? content = null)
    {
        StageChange(file, content);
        var parents = TryHead() is { } head ? new[] { head } : [];
        return WriteSignedCommit(signer, message, parents, when, tamper, @namespace);
    }

    /// <summary>Merges <paramref name="branch"/> into the current branch with a merge commit signed by <paramref name="signer"/>.</summary>
    public string MergeSignedBy(ISigner? signer, string branch, string message)
    {
        var other = Git("rev-parse", branch);
        Git("merge", "-q", "--no-ff", "--no-commit", other);
        Git("merge", "--quit");
        return WriteSignedCommit(signer, message, [Head, other], null, null, "git");
    }

    /// <summary>Appends a review approval of <paramref name="commit"/> to its note (real <c>git notes</c>); <paramref name="approvedCommit"/> may name another commit, to replay an approval.</summary>
    public string Approve(string commit, ISigner reviewer, string? approvedCommit = null, string @namespace = ReviewNamespace)
    {
        var record = Encoding.ASCII.GetBytes($"buildtrust-review v1 approve {approvedCommit ?? commit}\n");
        var signature = reviewer.Sign(record, @namespace);
        AppendNote(commit, signature);
        return signature;
    }

    public void AppendNote(string commit, string text) =>
        ExternalProcess.Run("git", ["notes", $"--ref={ReviewNotesRef}", "append", "-F", "-", "--end-of-options", commit], Path, Encoding.UTF8.GetBytes(text)).ThrowOnFailure();

    public const string ReviewNotesRef = "refs/notes/buildtrust-reviews";
    public const string ReviewNamespace = "buildtrust-review";

    private string WriteSignedCommit(ISigner? signer, string message, string[] parents, DateTimeOffset? when, Func<byte[], byte[]>? tamper, string @namespace)
    {
        var tree = Git("write-tree");
        var payload = CommitPayload.Build(tree, parents, Author, Author, when ?? DateTimeOffset.FromUnixTimeSeconds(1_760_000_000 + _fileCounter), message);
        var raw = signer is null ? payload : CommitPayload.InsertSignature(payload, signer.Sign(payload, @namespace));
        return WriteCommit(tamper is null ? raw : tamper(raw));
    }

    /// <summary>Writes raw commit bytes (not validated by git) and points the current branch at them.</summary>
    public string WriteCommit(byte[] raw)
    {
        var id = ExternalProcess.Run("git", ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], Path, raw).ThrowOnFailure().StandardOutput.Trim();
        Git("update-ref", "HEAD", id);
        Git("reset", "-q", "--soft", id);
        return id;
    }

    private string? TryHead()
    {
        var result = ExternalProcess.Run("git", ["rev-parse", "-q", "--verify", "HEAD"], Path);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }

    private void StageChange(string? file, string? content)
    {
        _fileCounter++;
        file ??= $"file{_fileCounter}.txt";
        var path = System.IO.Path.Combine(Path, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content ?? $"change {_fileCounter}\n");
        Git("add", "--", file);
    }

    public void Dispose() => _directory.Dispose();
}
