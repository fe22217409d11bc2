using System.Text.Json;
using BuildTrust.Testing.Git;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// Nothing that decides trust is read from the data being verified. The attack: on a pull-request branch, X (signed by the
/// attacker's own security key) replaces the policy with one where only the attacker is admin, and Y points
/// .nuke/parameters.json's TrustRoot at X. A gate that takes its trust root from the working tree passes it.
/// </summary>
public sealed class TrustAnchorTests : IDisposable
{
    private const string PolicyPath = "policies/release.yaml";
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _outside = new("buildtrust-outside-");
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
    private readonly SoftwareFidoAuthenticator _mallory = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "mallory");
    private readonly string _root;
    private readonly string _main;
    private readonly string _attackerRoot;

    public TrustAnchorTests()
    {
        _root = _repo.CommitSignedBy(_alice, "Adopt BuildTrust", file: PolicyPath,
            content: new PolicyBuilder().Maintainer("alice", ["author", "reviewer", "policy-admin"], _alice.PublicKeyLine).ToYaml());
        _main = _repo.CommitSignedBy(_alice, "Pin the trust root", file: ".nuke/parameters.json", content: $$"""{ "TrustRoot": "{{_root}}" }""");
        _repo.Git("checkout", "-q", "-b", "pull-request");
        _attackerRoot = _repo.CommitSignedBy(_mallory, "Tidy the policy", file: PolicyPath,
            content: new PolicyBuilder().Maintainer("mallory", ["author", "reviewer", "policy-admin"], _mallory.PublicKeyLine).ToYaml());
        _repo.CommitSignedBy(_mallory, "Update build parameters", file: ".nuke/parameters.json", content: $$"""{ "TrustRoot": "{{_attackerRoot}}" }""");
    }

    [Fact]
    public void VerifyCommits_WithNoTrustAnchor_IgnoresTheBranchsParametersFile_AndFailsAsNotAuthenticated()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--json", "main..HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NOT AUTHENTICATED", run.Error);
        Assert.Contains("SOURCE GATE FAILED: the policy is NOT authenticated", run.Error);
        Assert.DoesNotContain(_attackerRoot[..12], run.Error.Split('\n')[1]);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("not-authenticated", json.RootElement.GetProperty("scope").GetProperty("authority").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void VerifyCommits_FromTheTrustedRef_ReadsTheTrustRootCommittedThere_AndRefusesTheAttackersPolicy()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trusted-ref", "main", "main..HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"TrustRoot in .nuke/parameters.json at the trusted ref main ({_main[..12]})", run.Error);
        Assert.Contains($"FAIL   {_attackerRoot}", run.Error);
        Assert.Contains("[signer.known] unknown key", run.Error);
    }

    [Fact]
    public void VerifyCommits_FromTheTrustedRef_PassesTheTrustedHistory()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trusted-ref", "main", $"{_root}..main");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("SOURCE GATE PASSED", run.Error);
    }

    [Fact]
    public void VerifyCommits_WithTheTrustRootGivenExplicitly_RefusesTheAttackersPolicyChange()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", _root, "main..HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"--trust-root {_root}", run.Error);
    }

    [Fact]
    public void VerifyCommits_WithAPolicyFileInsideTheRepository_IsNotAuthenticated()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--policy", Path.Combine(_repo.Path, PolicyPath), "main..HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is inside the repository being verified", run.Error);
    }

    [Fact]
    public void VerifyCommits_WithAPolicyFileOutsideTheRepository_IsTrustedAsGivenByTheCaller()
    {
        var policy = new PolicyBuilder().Maintainer("alice", ["author"], _alice.PublicKeyLine).WriteTo(_outside.Combine("release.yaml"));

        var attacked = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--policy", policy, "main..HEAD");
        var trusted = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--policy", policy, "main");

        Assert.Equal(1, attacked.ExitCode);
        Assert.True(trusted.ExitCode == 0, trusted.Error);
        Assert.Contains("trusted as given by the caller", trusted.Error);
    }

    [Fact]
    public void TrustAnchor_FromTheEnvironmentValue_IsAuthenticatedThroughHistory()
    {
        var anchor = TrustAnchor.Resolve(_repo.Path, new TrustOptions(EnvironmentTrustRoot: _root));

        Assert.Equal(PolicyAuthority.History, anchor.Authority);
        Assert.Equal(_root, anchor.TrustRoot);
        Assert.Contains("BUILDTRUST_TRUST_ROOT", anchor.Origin);
    }

    [Fact]
    public void TrustAnchor_WhenTheTrustedRefHasNoParametersFile_IsBadInput()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trusted-ref", _root, "main..HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has no committed .nuke/parameters.json", run.Error);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("HEAD~2")]
    public void TrustRoot_GivenAsAName_IsRefused_BecauseWhoeverCanPushCanMoveIt(string name)
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", name, "main..HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("must be a full commit id", run.Error);
    }

    [Fact]
    public void TrustRoot_CommittedAsAName_InTheTrustedRef_IsRefused()
    {
        _repo.Git("checkout", "-q", "main");
        _repo.CommitSignedBy(_alice, "Use a name", file: ".nuke/parameters.json", content: """{ "TrustRoot": "HEAD~1" }""");

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trusted-ref", "main", "main");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("must be a full commit id", run.Error);
    }

    [Fact]
    public void TrustedRef_ThatATagOfTheSameNameCouldTakeOver_IsRefusedAsAmbiguous()
    {
        // In a CI checkout, origin/main is refs/remotes/origin/main; git resolves a pushed tag "origin/main" before it.
        _repo.Git("update-ref", "refs/remotes/origin/main", _main);
        _repo.Git("tag", "origin/main", "HEAD");

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trusted-ref", "origin/main", "origin/main..HEAD");
        var fullName = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trusted-ref", "refs/remotes/origin/main", "refs/remotes/origin/main..HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'origin/main' is ambiguous: refs/tags/origin/main, refs/remotes/origin/main", run.Error);
        Assert.Equal(1, fullName.ExitCode);
        Assert.Contains("[signer.known] unknown key", fullName.Error);
    }

    [Fact]
    public void A_range_base_that_a_pushed_tag_could_take_over_is_refused_as_ambiguous()
    {
        // A tag "main" on the attacker's own commit would move the range's base and hide that commit from the gate.
        _repo.Git("tag", "main", _attackerRoot);

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", _root, "main..HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'main' is ambiguous", run.Error);
    }

    [Fact]
    public void Sign_WithNoTrustAnchor_RefusesBeforeReadingAnything()
    {
        var run = CliRun.Invoke("sign", "--repo", _repo.Path, _outside.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NOT authenticated", run.Error);
        Assert.Contains("NOT SIGNED", run.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside.Path));
    }

    [Fact]
    public void Release_WithNoTrustAnchor_RefusesBeforeBuilding()
    {
        var run = CliRun.Invoke("release", "--repo", _repo.Path, "--ref", "HEAD", "--out", _outside.Combine("out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("needs an authenticated policy", run.Error);
        Assert.False(Directory.Exists(_outside.Combine("out")));
    }

    public void Dispose()
    {
        _alice.Dispose();
        _mallory.Dispose();
        _repo.Dispose();
        _outside.Dispose();
    }
}
