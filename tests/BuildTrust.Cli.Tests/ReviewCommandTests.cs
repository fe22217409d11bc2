using BuildTrust.Testing.Git;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

public sealed class ReviewCommandTests : IDisposable
{
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _keys = new("buildtrust-keys-");

    [Fact]
    public void ReviewApprove_WithGitSigningKey_WritesANoteThatSatisfiesTheReviewRule()
    {
        var author = SshKeygenKey.Generate(_keys.Path, "ed25519", comment: "author");
        var reviewer = SshKeygenKey.Generate(_keys.Path, "ecdsa", 256, comment: "reviewer");
        var policy = new PolicyBuilder()
            .Maintainer("author", ["author", "policy-admin"], author.PublicKeyLine)
            .Maintainer("reviewer", ["reviewer"], reviewer.PublicKeyLine)
            .Require("signed")
            .Reviews(1);
        var root = _repo.CommitWithGit("Adopt BuildTrust", author, "policies/release.yaml", policy.ToYaml());
        var change = _repo.CommitWithGit("feature", author);
        _repo.Git("config", "gpg.format", "ssh");
        _repo.Git("config", "user.signingkey", reviewer.PrivateKeyPath);

        var before = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", root, $"{root}..HEAD");
        var approve = CliRun.Invoke("review", "approve", "--repo", _repo.Path, "HEAD");
        var after = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", root, $"{root}..HEAD");

        Assert.Equal(1, before.ExitCode);
        Assert.Equal(0, approve.ExitCode);
        Assert.Contains($"Approved {change}", approve.Error);
        Assert.Contains("git push origin refs/notes/buildtrust-reviews", approve.Error);
        Assert.Contains("BEGIN SSH SIGNATURE", _repo.Git("notes", "--ref=refs/notes/buildtrust-reviews", "show", change));
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("reviewed by reviewer (note)", after.Error);
    }

    [Fact]
    public void ReviewApprove_WithOpenPgpSigningKey_WritesAGpgApprovalThatCounts()
    {
        using var gpg = new GpgKeyring();
        _repo.Environment = gpg.Environment;
        var alice = gpg.Generate("Alice <alice@test.invalid>");
        var bob = gpg.Generate("Bob <bob@test.invalid>");
        var keys = Directory.CreateDirectory(Path.Combine(_keys.Path, "policy", "keys")).FullName;
        File.WriteAllText(Path.Combine(keys, "alice.asc"), gpg.ExportPublic(alice));
        File.WriteAllText(Path.Combine(keys, "bob.asc"), gpg.ExportPublic(bob));
        var policy = new PolicyBuilder()
            .OpenPgpMaintainer("alice", ["author"], "keys/alice.asc")
            .OpenPgpMaintainer("bob", ["reviewer"], "keys/bob.asc")
            .Require("signed")
            .Reviews(1)
            .WriteTo(Path.Combine(_keys.Path, "policy", "release.yaml"));
        var change = _repo.CommitSignedBy(new GpgSigner(gpg, alice), "feature");
        var wrapper = Path.Combine(_keys.Path, "gpg-wrapper");
        File.WriteAllText(wrapper, $"#!/bin/sh\nGNUPGHOME='{gpg.Home}' exec gpg --pinentry-mode loopback --passphrase '' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        _repo.Git("config", "gpg.program", wrapper);
        _repo.Git("config", "user.signingkey", bob);

        var approve = CliRun.Invoke("review", "approve", "--repo", _repo.Path, "HEAD");
        var verify = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--policy", policy, "HEAD");

        Assert.Equal(0, approve.ExitCode);
        Assert.Contains($"Approved {change} with openpgp", approve.Error);
        Assert.Contains("BEGIN PGP SIGNATURE", _repo.Git("notes", "--ref=refs/notes/buildtrust-reviews", "show", change));
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("reviewed by bob (note)", verify.Error);
    }

    [Fact]
    public void ReviewApprove_WithoutSigningKey_ExitsTwoExplainingHowToConfigureOne()
    {
        _repo.CommitSignedBy(null, "something");
        _repo.Git("config", "gpg.format", "ssh");
        _repo.Git("config", "user.signingkey", "");

        var run = CliRun.Invoke("review", "approve", "--repo", _repo.Path, "HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("user.signingkey", run.Error);
    }

    [Fact]
    public void ReviewApprove_WhenRevisionUnknown_ExitsTwo()
    {
        _repo.CommitSignedBy(null, "something");
        var key = SshKeygenKey.Generate(_keys.Path, "ed25519");

        var run = CliRun.Invoke("review", "approve", "--repo", _repo.Path, "--key", key.PrivateKeyPath, "no-such-rev");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown revision 'no-such-rev'", run.Error);
    }

    [Theory]
    [InlineData("--all")]
    [InlineData("-h")]
    [InlineData("--output=approved")]
    public void ReviewApprove_WhenRevisionIsAGitOption_ExitsTwoAndWritesNoNote(string revision)
    {
        _repo.CommitSignedBy(null, "something");
        var key = SshKeygenKey.Generate(_keys.Path, "ed25519");

        var run = CliRun.Invoke("review", "approve", "--repo", _repo.Path, "--key", key.PrivateKeyPath, "--", revision);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"unknown revision '{revision}'", run.Error);
        Assert.Equal("", _repo.Git("notes", "--ref=refs/notes/buildtrust-reviews", "list"));
        Assert.False(File.Exists(Path.Combine(_repo.Path, "approved")));
    }

    public void Dispose()
    {
        _repo.Dispose();
        _keys.Dispose();
    }
}
