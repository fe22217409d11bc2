using System.Security.Cryptography;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Pkcs11;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Cli.Tests;

/// <summary>build, compare, sign and audit end to end on two real engines with the release key on a SoftHSM2 token.</summary>
[Collection("engines")]
public sealed class ReleaseFlowTests : IDisposable
{
    private readonly SoftHsmToken token = SoftHsmToken.Create();
    private readonly TemporaryDirectory output = new("buildtrust-release-out-");
    private ReleaseWorkspace? workspace;
    private TestRepository? repository;

    public void Dispose()
    {
        workspace?.Dispose();
        repository?.Dispose();
        output.Dispose();
        token.Dispose();
    }

    private string Out => output.Path;

    private async Task SetUpAsync(string sample = "c-hello", int quorum = 2, params (string Id, Uri Endpoint, string[] Variations)[] builders)
    {
        var image = await TestImages.CToolchainAsync();
        byte[] releaseKey;
        using (var signer = SigningKeys.Open(token.Uri(), requireHardware: true)) releaseKey = signer.SubjectPublicKeyInfo;
        workspace = new ReleaseWorkspace(builders.Length > 0 ? builders : [("builder-a", TestEngines.A, []), ("builder-b", TestEngines.B, ["timezone", "hostname", "user", "build-path"])],
            image.Id, ["make", "-C", $"samples/{sample}"], ["/out/bin/**"], quorum, token.Uri(), releaseKey);
        repository = SampleRepository.Create(sample, workspace.Maintainer);
    }

    private CliRun Build(params string[] extra) =>
        CliRun.Invoke(["build", "--repo", repository!.Path, "--ref", "HEAD", "--out", Out, "--policy", workspace!.PolicyPath, .. workspace.BuilderKeyArguments(), .. extra]);

    private CliRun Compare() => CliRun.Invoke("compare", "--policy", workspace!.PolicyPath, Out);

    /// <summary>Signs; every release written is audited at once, so sign never writes what its own audit refuses.</summary>
    private CliRun Sign(params string[] extra)
    {
        var sign = CliRun.Invoke(["sign", "--policy", workspace!.PolicyPath, "--repo", repository!.Path, .. extra, Out]);
        if (sign.ExitCode == 0)
        {
            var audit = Audit("--repo", repository.Path, "--policy", workspace.PolicyPath);
            Assert.True(audit.ExitCode == 0, audit.Error);
        }
        return sign;
    }

    private CliRun Audit(params string[] extra) => CliRun.Invoke(["audit", .. extra, Out]);

    private async Task SignedReleaseAsync()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        var sign = Sign();
        Assert.True(sign.ExitCode == 0, sign.Error);
    }

    [EngineFact]
    public async Task A_release_is_built_compared_signed_and_audited_and_outside_tools_verify_what_was_signed()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        var compare = Compare();
        Assert.True(compare.ExitCode == 0, compare.Error);
        Assert.Contains("2 of 2 builders produced identical artifacts", compare.Error);
        var sign = Sign();
        Assert.True(sign.ExitCode == 0, sign.Error);

        foreach (var name in new[] { "SHA256SUMS", "release.sigstore.json", "source.sigstore.json", "release.pub", "policy.yaml", "provenance/builder-a.sigstore.json", "bin/hello", "bin/hello.sigstore.json" })
            Assert.True(File.Exists(Path.Combine(Out, name)), name);
        var audit = Audit("--repo", repository!.Path, "--policy", workspace!.PolicyPath);
        Assert.True(audit.ExitCode == 0, audit.Error);
        Assert.Contains("AUDIT PASSED", audit.Error);

        Assert.Equal(["bin/VERSION.txt", "bin/hello"], File.ReadAllLines(Path.Combine(Out, "SHA256SUMS")).Select(l => l[66..]));
        var releasePub = Path.Combine(Out, "release.pub");
        // sigstore-js is installed by the test command; a missing one fails here, loudly, never skips the outside check.
        foreach (var artifact in new[] { "bin/hello", "bin/VERSION.txt" })
        {
            var result = SigstoreJs.Verify(Path.Combine(Out, artifact + ".sigstore.json"), releasePub, Path.Combine(Out, artifact));
            Assert.True(result.ExitCode == 0, result.StandardError);
        }
        var sums = File.ReadAllLines(Path.Combine(Out, "SHA256SUMS")).Select(l => $"{l[66..]}={l[..64]}").ToArray();
        var vsa = SigstoreJs.Verify(Path.Combine(Out, "release.sigstore.json"), releasePub, payloadType: Dsse.InTotoPayloadType, subjects: sums);
        Assert.True(vsa.ExitCode == 0, vsa.StandardError);
        var signature = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Out, "bin/hello.sigstore.json")))
            .RootElement.GetProperty("messageSignature").GetProperty("signature").GetString()!);
        File.WriteAllBytes(output.Combine("hello.sig"), signature);
        var openssl = BuildTrust.Pipeline.Processes.ExternalProcess.Run("openssl", ["dgst", "-sha256", "-verify", releasePub, "-signature", output.Combine("hello.sig"), Path.Combine(Out, "bin/hello")]);
        Assert.Contains("Verified OK", openssl.StandardOutput);
    }

    [EngineFact]
    public async Task Audit_with_rebuild_builds_once_more_and_matches_the_published_digests()
    {
        await SignedReleaseAsync();
        var audit = Audit("--repo", repository!.Path, "--policy", workspace!.PolicyPath, "--rebuild", "--endpoint", TestEngines.A.ToString());
        Assert.True(audit.ExitCode == 0, audit.Error);
        Assert.Contains("a local rebuild on", audit.Error);
    }

    [EngineFact]
    public async Task An_artifact_swapped_after_signing_fails_the_audit()
    {
        await SignedReleaseAsync();
        File.WriteAllText(Path.Combine(Out, "bin", "VERSION.txt"), "hello 6.6.6\n");
        var audit = Audit("--policy", workspace!.PolicyPath);
        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("bin/VERSION.txt (digest differs)", audit.Error);
    }

    [EngineFact]
    public async Task A_missing_artifact_fails_the_audit()
    {
        await SignedReleaseAsync();
        File.Delete(Path.Combine(Out, "bin", "hello"));
        Assert.Equal(1, Audit("--policy", workspace!.PolicyPath).ExitCode);
    }

    [EngineFact]
    public async Task An_extra_artifact_fails_the_audit()
    {
        await SignedReleaseAsync();
        File.WriteAllText(Path.Combine(Out, "bin", "backdoor"), "#!/bin/sh\n");
        var audit = Audit("--policy", workspace!.PolicyPath);
        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("not part of the release: bin/backdoor", audit.Error);
    }

    [EngineFact]
    public async Task A_symlinked_artifact_fails_the_audit()
    {
        await SignedReleaseAsync();
        File.Delete(Path.Combine(Out, "bin", "hello"));
        File.CreateSymbolicLink(Path.Combine(Out, "bin", "hello"), "/bin/sh");
        var audit = Audit("--policy", workspace!.PolicyPath);
        Assert.Equal(1, audit.ExitCode);
        Assert.Contains("bin/hello is a symbolic link", audit.Error);
    }

    [EngineFact]
    public async Task Sign_refuses_entries_planted_where_the_release_goes_and_writes_nothing_through_them()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        using var outside = new TemporaryDirectory("buildtrust-victim-");
        var victim = outside.Combine("victim.txt");
        File.WriteAllText(victim, "must stay");
        File.CreateSymbolicLink(Path.Combine(Out, "release.pub"), victim);
        Directory.CreateDirectory(outside.Combine("elsewhere"));
        File.CreateSymbolicLink(Path.Combine(Out, "provenance"), outside.Combine("elsewhere"));

        var sign = Sign();

        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("release.pub is already there", sign.Error);
        Assert.Contains("provenance is already there", sign.Error);
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
        Assert.Equal("must stay", File.ReadAllText(victim));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside.Combine("elsewhere")));
        File.Delete(Path.Combine(Out, "provenance"));
        File.Delete(Path.Combine(Out, "release.pub"));
        Assert.True(Sign().ExitCode == 0);
        Assert.Null(new FileInfo(Path.Combine(Out, "release.pub")).LinkTarget);
        Assert.Equal("must stay", File.ReadAllText(victim));
    }

    [EngineFact]
    public async Task Sign_refuses_when_the_source_gate_fails_and_writes_nothing()
    {
        await SetUpAsync();
        repository!.CommitSignedBy(null, "an unsigned commit", file: "samples/c-hello/VERSION", content: "1.0.1\n");
        Assert.Equal(0, Build().ExitCode);
        var sign = Sign();
        Assert.Equal(1, sign.ExitCode);
        Assert.Contains("the source gate failed", sign.Error);
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
        Assert.False(File.Exists(Path.Combine(Out, "release.sigstore.json")));
    }

    [EngineFact]
    public async Task A_wrong_pin_or_an_absent_token_stops_signing_with_nothing_written()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        var wrongPin = Sign("--release-key", token.Uri().Replace($"pin-source=file:{token.PinFile}", "pin-value=000000", StringComparison.Ordinal));
        Assert.Equal(2, wrongPin.ExitCode);
        Assert.Contains("wrong PIN", wrongPin.Error);
        var absent = Sign("--release-key", token.Uri().Replace(token.Label, "unplugged-token", StringComparison.Ordinal));
        Assert.Equal(3, absent.ExitCode);
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
    }

    [EngineFact]
    public async Task A_key_file_is_refused_when_the_policy_requires_a_hardware_release_key()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        var sign = Sign("--release-key", workspace!.BuilderKey("builder-a"));
        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("a key file was given", sign.Error);
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
    }

    [EngineFact]
    public async Task A_duplicated_builder_bundle_is_refused()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        CopyDirectory(Path.Combine(Out, "builder-a"), Path.Combine(Out, "builder-a-copy"));
        var compare = Compare();
        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("a second bundle of builder 'builder-a'", compare.Error);
        Assert.Equal(1, Sign().ExitCode);
    }

    [EngineFact]
    public async Task A_bundle_from_an_unknown_key_is_refused()
    {
        await SetUpAsync();
        Assert.Equal(0, Build().ExitCode);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(workspace!.BuilderPublicKeyPem("builder-b"), stranger.ExportSubjectPublicKeyInfoPem());
        var compare = Compare();
        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("not a builder key in the policy", compare.Error);
    }

    [EngineFact]
    public async Task Provenance_for_another_commit_is_refused()
    {
        await SetUpAsync();
        var first = repository!.Head;
        repository.CommitSignedBy(workspace!.Maintainer, "next version", file: "samples/c-hello/VERSION", content: "1.0.1\n");
        Assert.Equal(0, Build("--builder", "builder-a").ExitCode);
        Assert.Equal(0, CliRun.Invoke(["build", "--repo", repository.Path, "--ref", first, "--out", Out, "--policy", workspace.PolicyPath, "--builder", "builder-b", .. workspace.BuilderKeyArguments()]).ExitCode);
        var compare = Compare();
        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("disagree on the source commit", compare.Error);
    }

    [EngineFact]
    public async Task One_builder_disagreeing_passes_a_quorum_of_two_of_three()
    {
        await SetUpAsync("unreproducible", 2, ("builder-a", TestEngines.A, []), ("builder-b", TestEngines.B, []), ("builder-c", TestEngines.B, ["hostname"]));
        Assert.Equal(0, Build().ExitCode);
        var compare = Compare();
        Assert.True(compare.ExitCode == 0, compare.Error);
        Assert.Contains("2 of 3 builders produced identical artifacts (quorum 2); 1 disagreed", compare.Error);
        Assert.Contains("differs   bin/stamp", compare.Error);
        var sign = Sign();
        Assert.True(sign.ExitCode == 0, sign.Error);
        Assert.Equal(0, Audit("--policy", workspace!.PolicyPath).ExitCode);
    }

    [EngineFact]
    public async Task One_builder_disagreeing_fails_a_quorum_of_two_of_two_and_nothing_is_signed()
    {
        await SetUpAsync("unreproducible", 2, ("builder-a", TestEngines.A, []), ("builder-c", TestEngines.B, ["hostname"]));
        Assert.Equal(0, Build().ExitCode);
        var compare = Compare();
        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("differs   bin/stamp", compare.Error);
        Assert.Contains("diffoscope bin/stamp (builder-a vs builder-c)", compare.Error);
        Assert.Contains("built on buildtrust", File.ReadAllText(Path.Combine(Out, "diffoscope.txt")));
        Assert.Equal(1, Sign().ExitCode);
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
    }

    [EngineFact]
    public async Task Two_builders_on_one_engine_do_not_make_a_quorum_of_two_and_nothing_is_signed()
    {
        await SetUpAsync("c-hello", 2, ("builder-a", TestEngines.A, []), ("builder-b", TestEngines.A, ["timezone"]));
        Assert.Equal(0, Build().ExitCode);

        var compare = Compare();

        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("not counted as independent: builder-b (same engine as builder-a", compare.Error);
        Assert.Equal(1, Sign().ExitCode);
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
    }

    [EngineFact]
    public async Task Release_runs_every_gate_in_order_and_the_audit_passes()
    {
        await SetUpAsync();
        var release = CliRun.Invoke(["release", "--repo", repository!.Path, "--ref", "HEAD", "--out", Out, "--policy", workspace!.PolicyPath, .. workspace.BuilderKeyArguments()]);
        Assert.True(release.ExitCode == 0, release.Error);
        Assert.True(release.Error.IndexOf("== 1/4", StringComparison.Ordinal) < release.Error.IndexOf("== 4/4", StringComparison.Ordinal));
        Assert.Equal(0, Audit("--repo", repository.Path, "--policy", workspace.PolicyPath).ExitCode);
    }

    [EngineFact]
    public async Task Release_stops_at_the_source_gate_and_builds_and_signs_nothing()
    {
        await SetUpAsync();
        repository!.CommitSignedBy(null, "an unsigned commit", file: "samples/c-hello/VERSION", content: "1.0.1\n");
        var release = CliRun.Invoke(["release", "--repo", repository.Path, "--ref", "HEAD", "--out", Out, "--policy", workspace!.PolicyPath, .. workspace.BuilderKeyArguments()]);
        Assert.Equal(1, release.ExitCode);
        Assert.Contains("RELEASE STOPPED at source gate", release.Error);
        Assert.False(Directory.Exists(Path.Combine(Out, "builder-a")));
        Assert.False(File.Exists(Path.Combine(Out, "SHA256SUMS")));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
