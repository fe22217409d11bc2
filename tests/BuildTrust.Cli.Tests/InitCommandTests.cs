using System.Text.Json;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// Adopting BuildTrust in a repository with years of mixed history (unsigned commits, SSH-signed ones by a key in git's
/// allowed_signers file, gpg-signed ones by a key in the keyring): <c>init</c> scaffolds the policy, the maintainer commits and
/// signs it, and from that trust root the gate verifies what comes next, reviews included; the old history is not judged.
/// </summary>
public sealed class InitCommandTests : IDisposable
{
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _keys = new("buildtrust-init-keys-");
    private readonly GpgKeyring _gpg = new();
    private readonly SshKeygenKey _alice;
    private readonly string _bob;
    private readonly string _allowedSigners;

    public InitCommandTests()
    {
        _alice = SshKeygenKey.Generate(_keys.Path, "ed25519", comment: "alice@laptop");
        _bob = _gpg.Generate("Bob Builder <bob@example.org>");
        _repo.Environment = _gpg.Environment;
        _allowedSigners = _keys.Combine("allowed_signers");
        File.WriteAllText(_allowedSigners, $"# maintainers\nalice@example.org namespaces=\"git\" {_alice.PublicKeyLine}\n");
        _repo.Git("config", "gpg.ssh.allowedSignersFile", _allowedSigners);
        var year = TimeSpan.FromDays(365);
        var start = DateTimeOffset.UtcNow - 6 * year;
        _repo.CommitSignedBy(null, "Initial import", start);
        _repo.CommitSignedBy(null, "Old unsigned fix", start + year);
        _repo.CommitSignedBy(_alice, "SSH-signed feature", start + 2 * year);
        _repo.CommitSignedBy(new GpgSigner(_gpg, _bob), "gpg-signed feature", start + 3 * year);
        _repo.CommitSignedBy(null, "Another unsigned commit", start + 4 * year);
        _repo.CommitSignedBy(new GpgSigner(_gpg, _bob), "gpg-signed release", start + 5 * year);
    }

    private CliRun Init(params string[] extra) => CliRun.Invoke(["init", "--repo", _repo.Path, "--keyring", _gpg.Home, .. extra]);

    [Fact]
    public void Init_OnMixedHistory_ThenCommitAndVerify_GatesTheNewRangeWithReviews()
    {
        var init = Init("--json");

        Assert.True(init.ExitCode == 0, init.Error);
        Assert.Contains("Looked at 6 recent commit(s)", init.Error);
        Assert.Contains("3 unsigned", init.Error);
        Assert.Contains("alice        ssh-ed25519", init.Error);
        Assert.Contains("bob          openpgp-ed25519", init.Error);
        Assert.Contains("signed 2 recent commit(s)", init.Error);
        Assert.Contains("hardware: NO evidence yet; missing: for require: hardware, its vendor attestation", init.Error);
        Assert.Contains("Wrote policies/release.yaml, policies/keys/bob.asc (require: signed, reviews: 1, policy-changes: 1)", init.Error);
        Assert.Contains("git add policies && git commit -S -m \"Adopt BuildTrust\"", init.Error);
        Assert.Contains("buildtrust verify-commits --trust-root $ROOT $ROOT..HEAD", init.Error);
        using (var json = JsonDocument.Parse(init.Out)) Assert.Equal(2, json.RootElement.GetProperty("result").GetProperty("keys").GetArrayLength());
        var policy = File.ReadAllText(Path.Combine(_repo.Path, "policies", "release.yaml"));
        Assert.Contains("# BuildTrust policy, scaffolded by 'buildtrust init'", policy);
        Assert.Contains($"ssh: \"{_alice.PublicKeyLine.Split(' ')[0]} {_alice.PublicKeyLine.Split(' ')[1]} alice\"", policy);
        Assert.Contains("openpgp: keys/bob.asc", policy);

        var check = CliRun.Invoke("policy", "check", "--policy", Path.Combine(_repo.Path, "policies", "release.yaml"));
        Assert.True(check.ExitCode == 0, check.Error);

        _repo.Git("add", "policies");
        _repo.Git("-c", "gpg.format=ssh", "-c", $"user.signingkey={_alice.PrivateKeyPath}", "commit", "-q", "-S", "-m", "Adopt BuildTrust");
        var root = _repo.Head;
        var byBob = _repo.CommitSignedBy(new GpgSigner(_gpg, _bob), "first change under the gate");
        var byAlice = _repo.CommitSignedBy(_alice, "second change under the gate");
        var approve = CliRun.Invoke("review", "approve", "--repo", _repo.Path, "--key", _alice.PrivateKeyPath, byBob);

        var pending = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", root, $"{root}..HEAD");
        _repo.Approve(byAlice, new GpgSigner(_gpg, _bob));
        var passed = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", root, $"{root}..HEAD");
        var wholeHistory = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", root, "HEAD");

        Assert.True(approve.ExitCode == 0, approve.Error);
        Assert.Equal(1, pending.ExitCode);
        Assert.Contains($"PENDING {byAlice}", pending.Error);
        Assert.Contains($"buildtrust review approve {byAlice}", pending.Error);
        Assert.True(passed.ExitCode == 0, passed.Error);
        Assert.Contains("2 passed, 0 failed, 0 malformed: SOURCE GATE PASSED", passed.Error);
        Assert.Equal(1, wholeHistory.ExitCode);
        Assert.Contains("does not descend from the trust root", wholeHistory.Error);
    }

    [Fact]
    public void Init_ReportsSshSignersOfRecentCommitsThatNoFileLists_WithoutAddingThem()
    {
        var stranger = SshKeygenKey.Generate(_keys.Path, "ed25519", comment: "stranger");
        _repo.CommitSignedBy(stranger, "by someone unlisted");

        var init = Init();

        Assert.Equal(0, init.ExitCode);
        Assert.Contains("NOT ADDED    ssh ssh-ed25519", init.Error);
        Assert.DoesNotContain("stranger", File.ReadAllText(Path.Combine(_repo.Path, "policies", "release.yaml")));
    }

    [Fact]
    public void Init_WithMaintainerFlags_AndSecurityKeysOnly_ChoosesRequireHardware()
    {
        _repo.Git("config", "--unset", "gpg.ssh.allowedSignersFile");
        using var carol = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "carol");
        var empty = _keys.Combine("empty-keyring");
        Directory.CreateDirectory(empty);

        var init = CliRun.Invoke("init", "--repo", _repo.Path, "--keyring", empty, "--maintainer", $"carol={carol.PublicKeyLine}", "--reviews", "0");

        Assert.True(init.ExitCode == 0, init.Error);
        Assert.Contains("hardware: yes, a FIDO security key", init.Error);
        Assert.Contains("(require: hardware, reviews: 0, policy-changes: 1)", init.Error);
        Assert.Contains("NOT ADDED    openpgp", init.Error);
        Assert.Contains("not in the keyring", init.Error);
    }

    [Fact]
    public void Init_WhenAPolicyExists_RefusesWithoutForce()
    {
        Assert.Equal(0, Init().ExitCode);

        var again = Init();
        var forced = Init("--force");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("policies/release.yaml exists already", again.Error);
        Assert.Equal(0, forced.ExitCode);
    }

    [Fact]
    public void Init_WithNothingToScaffoldFrom_ExitsTwo()
    {
        _repo.Git("config", "--unset", "gpg.ssh.allowedSignersFile");
        var empty = _keys.Combine("empty-keyring");
        Directory.CreateDirectory(empty);

        var init = CliRun.Invoke("init", "--repo", _repo.Path, "--keyring", empty, "--recent", "0");

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("no maintainer key found", init.Error);
        Assert.False(File.Exists(Path.Combine(_repo.Path, "policies", "release.yaml")));
    }

    [Theory]
    [InlineData("@cert-authority *.example.org cert-authority ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKVsQa5J7m3d8Z5p5TS3PgIO0K2B0Fp3CZnS6ZlnXR1G\n", "cert-authority")]
    [InlineData("alice@example.org ssh-ed25519 !!!notbase64!!!\n", "allowed_signers:1:")]
    [InlineData("just-one-field\n", "not an allowed_signers line")]
    public void Init_WithAHostileAllowedSignersFile_ExitsTwoNamingTheLine(string content, string expected)
    {
        File.WriteAllText(_allowedSigners, content);

        var init = Init();

        Assert.Equal(2, init.ExitCode);
        Assert.Contains(expected, init.Error);
        Assert.DoesNotContain("   at ", init.Error);
    }

    [Theory]
    [InlineData("no-equals-sign")]
    [InlineData("Bad Id=ssh-ed25519 AAAA")]
    [InlineData("carol=ssh-ed25519 AAAAnot-a-key")]
    [InlineData("carol=/no/such/key/file")]
    public void Init_WithABadMaintainerFlag_ExitsTwo(string maintainer)
    {
        var init = Init("--maintainer", maintainer);

        Assert.Equal(2, init.ExitCode);
        Assert.StartsWith("error: ", init.Error.Trim());
    }

    public void Dispose()
    {
        _gpg.Dispose();
        _keys.Dispose();
        _repo.Dispose();
    }
}
