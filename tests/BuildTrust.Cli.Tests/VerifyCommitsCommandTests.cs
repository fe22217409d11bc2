using System.Text.Json;
using BuildTrust.Testing.Git;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

public sealed class VerifyCommitsCommandTests : IDisposable
{
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
    private readonly TemporaryDirectory _outside = new("buildtrust-policy-");
    private readonly string _policy;

    /// <summary>The policy lives outside the repository, where the caller vouches for it (inside, it would be the data under judgement).</summary>
    public VerifyCommitsCommandTests()
    {
        _policy = new PolicyBuilder().Maintainer("alice", ["author"], _alice.PublicKeyLine).WriteTo(_outside.Combine("policies", "release.yaml"));
    }

    private CliRun Verify(params string[] arguments) => CliRun.Invoke(["verify-commits", "--repo", _repo.Path, "--policy", _policy, .. arguments]);

    [Fact]
    public void VerifyCommits_WhenAllSigned_ExitsZeroAndWritesJsonReport()
    {
        var first = _repo.CommitSignedBy(_alice, "one");
        var second = _repo.CommitSignedBy(_alice, "two");

        var run = Verify("--json", "HEAD");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("SOURCE GATE PASSED", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(0, json.RootElement.GetProperty("exitCode").GetInt32());
        var commits = json.RootElement.GetProperty("commits");
        Assert.Equal([second, first], commits.EnumerateArray().Select(c => c.GetProperty("commitId").GetString()));
        Assert.All(commits.EnumerateArray(), c =>
        {
            Assert.Equal("passed", c.GetProperty("status").GetString());
            Assert.Equal("alice", c.GetProperty("signer").GetString());
            Assert.StartsWith("SHA256:", c.GetProperty("keyFingerprint").GetString());
            Assert.Contains("user present", c.GetProperty("hardwareEvidence").GetString());
        });
    }

    [Fact]
    public void VerifyCommits_WhenOneCommitUnsigned_ExitsOneNamingFullCommitId()
    {
        _repo.CommitSignedBy(_alice, "one");
        var unsigned = _repo.CommitSignedBy(null, "sneaky");

        var run = Verify("--json", "HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{unsigned} \"sneaky\"", run.Error);
        Assert.Contains("the commit is not signed", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(1, json.RootElement.GetProperty("exitCode").GetInt32());
        var refused = json.RootElement.GetProperty("commits")[0];
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.Equal("signature.present", refused.GetProperty("firstFailure").GetProperty("id").GetString());
    }

    [Fact]
    public void VerifyCommits_WhenOneSignatureGarbage_FailsThatCommitAndStillJudgesTheOthers()
    {
        var first = _repo.CommitSignedBy(_alice, "one");
        var id = _repo.CommitSignedBy(null, "garbage", tamper: raw => TestCommits.WithSignatureHeader(raw, "-----BEGIN SSH SIGNATURE-----\n !!!!\n -----END SSH SIGNATURE-----"));
        var last = _repo.CommitSignedBy(_alice, "three");

        var run = Verify("--json", "HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(id, run.Error);
        Assert.Contains("malformed SSH signature", run.Error);
        Assert.Contains("2 passed, 0 failed, 1 malformed", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal([last, id, first], json.RootElement.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("commitId").GetString()));
    }

    [Fact]
    public void VerifyCommits_WhenPolicyMalformed_ExitsTwoNamingFileAndLine()
    {
        _repo.CommitSignedBy(_alice, "one");
        File.WriteAllText(_policy, "version: 1\nmaintainers:\n  - id: [unclosed\n");

        var run = Verify("HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"release\.yaml:\d+:\d+: malformed YAML", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void VerifyCommits_WhenRevisionUnknown_ExitsTwo()
    {
        _repo.CommitSignedBy(_alice, "one");

        var run = Verify("v9.9..HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown revision 'v9.9'", run.Error);
    }

    [Fact]
    public void VerifyCommits_WhenNotARepository_ExitsTwo()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", "/", "--policy", _policy, "HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not inside a git repository", run.Error);
    }

    [Fact]
    public void Cli_WhenOptionUnknown_ExitsTwo()
    {
        var run = CliRun.Invoke("verify-commits", "--no-such-option", "HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help", run.Error);
    }

    [Fact]
    public void Help_ExplainsCommandsAndExitCodes()
    {
        var run = CliRun.Invoke("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("verify-commits", run.Out);
        Assert.Contains("2 bad input", run.Out);
        Assert.Contains("A..B", CliRun.Invoke("verify-commits", "--help").Out);
    }

    public void Dispose()
    {
        _alice.Dispose();
        _repo.Dispose();
        _outside.Dispose();
    }
}
