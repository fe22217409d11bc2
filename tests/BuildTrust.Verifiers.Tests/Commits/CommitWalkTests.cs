using System.Text;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Git;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Commits;

/// <summary>The range walk: which commits a range holds and in what order, checked against git itself.</summary>
public sealed class CommitWalkTests : IDisposable
{
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _clone = new("buildtrust-clone-");
    private long _clock = 1_760_000_000;

    /// <summary>An empty commit by git, dated <paramref name="skew"/> seconds away from the running clock.</summary>
    private string Commit(string message, long skew = 0)
    {
        _clock += 60;
        var date = $"@{_clock + skew} +0000";
        _repo.Environment = new Dictionary<string, string> { ["GIT_COMMITTER_DATE"] = date, ["GIT_AUTHOR_DATE"] = date };
        _repo.Git("commit", "-q", "--allow-empty", "-m", message);
        return _repo.Head;
    }

    private void Merge(string branch)
    {
        _clock += 60;
        var date = $"@{_clock} +0000";
        _repo.Environment = new Dictionary<string, string> { ["GIT_COMMITTER_DATE"] = date, ["GIT_AUTHOR_DATE"] = date };
        _repo.Git("merge", "-q", "--no-ff", "-m", $"merge {branch}", branch);
    }

    /// <summary>Two branches merged twice, one commit dated before its parent (a skewed clock).</summary>
    private void BranchyHistory()
    {
        Commit("root");
        Commit("main 1");
        _repo.Git("branch", "topic");
        Commit("main 2");
        _repo.Git("checkout", "-q", "topic");
        Commit("topic 1");
        Commit("topic 2, clock behind", skew: -3600);
        _repo.Git("checkout", "-q", "main");
        Merge("topic");
        _repo.Git("checkout", "-q", "topic");
        Commit("topic 3");
        _repo.Git("checkout", "-q", "main");
        Commit("main 3");
        Merge("topic");
    }

    private List<string> RevList(string path, params string[] range) =>
        [.. ExternalProcess.Run("git", ["rev-list", .. range], path).ThrowOnFailure().StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static List<RangeEntry> Range(string path, string include, string? exclude = null)
    {
        using var source = GitCommitSource.Open(path);
        return [.. source.Range(source.Resolve(include), exclude is null ? null : source.Resolve(exclude))];
    }

    [Fact]
    public void Range_OfWholeHistory_ReadsEveryCommitOnceInGitLogOrder()
    {
        BranchyHistory();

        var entries = Range(_repo.Path, "HEAD");

        Assert.Equal(RevList(_repo.Path, "HEAD"), entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Equal(e.Id, e.Record?.Id));
        Assert.Equal(2, entries[0].Record!.Parents.Count);
    }

    [Fact]
    public void Range_WithExclusion_HoldsWhatGitRevListHoldsInItsOrder()
    {
        BranchyHistory();
        var exclude = _repo.Git("rev-parse", "HEAD^2~1");

        var entries = Range(_repo.Path, "HEAD", exclude);

        Assert.Equal(RevList(_repo.Path, $"{exclude}..HEAD"), entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.Equal(e.Id, e.Record?.Id));
    }

    [Fact]
    public void Range_OfShallowClone_ThatReachesTheBoundary_IsRefusedAsCutOff()
    {
        BranchyHistory();
        ExternalProcess.Run("git", ["clone", "-q", "--depth", "2", "--branch", "main", $"file://{_repo.Path}", _clone.Path]).ThrowOnFailure();
        var boundary = File.ReadAllLines(Path.Combine(_clone.Path, ".git", "shallow"))[0];

        var error = Assert.Throws<CommitRangeException>(() => Range(_clone.Path, "HEAD"));

        Assert.Contains($"history is cut off at {boundary}", error.Message);
    }

    [Fact]
    public void Range_OfShallowClone_AboveTheBoundary_IsWalkedAsGitDoes()
    {
        BranchyHistory();
        for (var i = 0; i < 3; i++) Commit($"linear {i}");
        ExternalProcess.Run("git", ["clone", "-q", "--depth", "3", "--branch", "main", $"file://{_repo.Path}", _clone.Path]).ThrowOnFailure();
        var exclude = ExternalProcess.Run("git", ["rev-parse", "HEAD~2"], _clone.Path).ThrowOnFailure().StandardOutput.Trim();

        var entries = Range(_clone.Path, "HEAD", exclude);

        Assert.Equal(RevList(_clone.Path, $"{exclude}..HEAD"), entries.Select(e => e.Id));
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public void Range_ThroughAGraftedCommit_IsRefusedAsCutOff()
    {
        for (var i = 0; i < 4; i++) Commit($"linear {i}");
        var grafted = _repo.Git("rev-parse", "HEAD~1");
        File.WriteAllText(Path.Combine(_repo.Path, ".git", "info", "grafts"), grafted + "\n");

        var error = Assert.Throws<CommitRangeException>(() => Range(_repo.Path, "HEAD"));
        var above = Range(_repo.Path, "HEAD", grafted);

        Assert.Contains($"history is cut off at {grafted}", error.Message);
        Assert.Contains("graft", error.Message);
        Assert.Single(above);
    }

    [Theory]
    [InlineData("HEAD~3..HEAD")] // judged on the calling thread
    [InlineData("HEAD~30..HEAD")] // judged in parallel
    [InlineData("HEAD")]
    public void Verify_ReportsEveryCommitOfTheRangeOnceInGitLogOrder_ShortOrLong(string range)
    {
        BranchyHistory();
        for (var i = 0; i < 40; i++) Commit($"linear {i}", skew: i % 7 == 3 ? -600 : 0);

        var report = Verify(range);

        Assert.Equal(RevList(_repo.Path, range), report.Commits.Select(c => c.CommitId));
        Assert.All(report.Commits, c => Assert.Equal(CheckStatus.Failed, c.Status));
    }

    [Fact]
    public void Range_WhenParentIsMissingDeepInALongHistory_FailsNamingTheCommit()
    {
        Commit("root");
        var tree = _repo.Git("rev-parse", "HEAD^{tree}");
        var orphan = _repo.WriteCommit(CommitPayload.Build(tree, [new string('7', 40)], TestRepository.Author, TestRepository.Author, DateTimeOffset.FromUnixTimeSeconds(_clock + 60), "parent does not exist"));
        _clock += 60;
        for (var i = 0; i < 30; i++) Commit($"after the orphan {i}");

        var error = Assert.Throws<CommitRangeException>(() => Verify("HEAD"));

        Assert.Contains($"commit {orphan} names parent {new string('7', 40)}, which cannot be read", error.Message);
    }

    [Fact]
    public void Range_WhenParentIsMissing_FailsNamingTheCommit()
    {
        Commit("root");
        var tree = _repo.Git("rev-parse", "HEAD^{tree}");
        var orphan = _repo.WriteCommit(CommitPayload.Build(tree, [new string('7', 40)], TestRepository.Author, TestRepository.Author, DateTimeOffset.FromUnixTimeSeconds(_clock + 60), "parent does not exist"));

        var error = Assert.Throws<CommitRangeException>(() => Verify("HEAD"));

        Assert.Contains($"commit {orphan} names parent {new string('7', 40)}, which cannot be read", error.Message);
    }

    [Theory]
    [InlineData("parent {0}\ntree {1}\n", "does not start with a tree line")]
    [InlineData("tree {1}\nparent {0}x\n", "parent line does not hold a full object id")]
    public void Range_WhenCommitHeaderIsBroken_FailsNamingTheCommit(string header, string problem)
    {
        var root = Commit("root");
        var tree = _repo.Git("rev-parse", "HEAD^{tree}");
        var raw = string.Format(header, root, tree) + $"author {TestRepository.Author} {_clock + 60} +0000\ncommitter {TestRepository.Author} {_clock + 60} +0000\n\nbroken\n";
        var broken = ExternalProcess.Run("git", ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], _repo.Path, Encoding.ASCII.GetBytes(raw)).ThrowOnFailure().StandardOutput.Trim();
        _repo.WriteCommit(CommitPayload.Build(tree, [broken], TestRepository.Author, TestRepository.Author, DateTimeOffset.FromUnixTimeSeconds(_clock + 120), "child of a broken commit"));

        var error = Assert.Throws<CommitRangeException>(() => Verify("HEAD"));

        Assert.Contains(broken, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Parse_WhenParentLineComesAfterAuthor_IsMalformedBecauseGitWouldNotSeeThatParent()
    {
        var root = Commit("root");
        var tree = _repo.Git("rev-parse", "HEAD^{tree}");
        var raw = $"tree {tree}\nauthor {TestRepository.Author} {_clock + 60} +0000\nparent {root}\ncommitter {TestRepository.Author} {_clock + 60} +0000\n\nsmuggled parent\n";
        var smuggled = _repo.WriteCommit(Encoding.ASCII.GetBytes(raw));

        using var source = GitCommitSource.Open(_repo.Path);
        var record = source.Read(smuggled);

        Assert.Contains("parent line is out of place", record.ReadError);
        Assert.Empty(RevList(_repo.Path, "--no-walk", "--parents", smuggled).Single().Split(' ').Skip(1));
    }

    private SourceGateReport Verify(string range)
    {
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(new PolicyBuilder().Maintainer("alice", ["author"], "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice").ToYaml()), "policy.yaml");
        return SourceGate.Verify(_repo.Path, CommitRange.Parse(range), policy);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _clone.Dispose();
    }
}
