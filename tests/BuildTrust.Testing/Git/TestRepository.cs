using System.Text;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.Git;

/// <summary>A temporary repository driven by the real git CLI, with commits signed by any <see cref="ISshSigner"/>.</summary>
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

    public string Git(params string[] arguments) =>
        ExternalProcess.Run("git", arguments, Path).ThrowOnFailure().StandardOutput.Trim();

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
    public string CommitSignedBy(ISshSigner? signer, string message, DateTimeOffset? when = null, Func<byte[], byte[]>? tamper = null, string @namespace = "git")
    {
        StageChange(null, null);
        var tree = Git("write-tree");
        var parents = TryHead() is { } head ? new[] { head } : [];
        var payload = CommitPayload.Build(tree, parents, Author, Author, when ?? DateTimeOffset.FromUnixTimeSeconds(1_760_000_000 + _fileCounter), message);
        var raw = signer is null ? payload : CommitPayload.InsertSignature(payload, signer.Sign(payload, @namespace));
        return WriteCommit(tamper is null ? raw : tamper(raw));
    }

    /// <summary>Writes raw commit bytes (not validated by git) and points the branch at them.</summary>
    public string WriteCommit(byte[] raw)
    {
        var id = ExternalProcess.Run("git", ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], Path, raw).ThrowOnFailure().StandardOutput.Trim();
        Git("update-ref", "refs/heads/main", id);
        Git("reset", "-q", "--soft", id);
        return id;
    }

    public byte[] ReadCommit(string id) =>
        Encoding.UTF8.GetBytes(ExternalProcess.Run("git", ["cat-file", "commit", id], Path).ThrowOnFailure().StandardOutput);

    private string? TryHead()
    {
        var result = ExternalProcess.Run("git", ["rev-parse", "-q", "--verify", "HEAD"], Path);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
    }

    private void StageChange(string? file, string? content)
    {
        _fileCounter++;
        file ??= $"file{_fileCounter}.txt";
        File.WriteAllText(System.IO.Path.Combine(Path, file), content ?? $"change {_fileCounter}\n");
        Git("add", "--", file);
    }

    public void Dispose() => _directory.Dispose();
}
