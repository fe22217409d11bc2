using System.Text.Json.Nodes;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Cli.Tests;

/// <summary><c>buildtrust import</c> on published guix.sigs data: exit codes, the JSON report, and the verdict as a signed VSA.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private static readonly string Published = Path.Combine(TestImagesRoot(), "tests", "BuildTrust.Verifiers.Tests", "Imports", "Fixtures", "guix.sigs");

    private readonly TemporaryDirectory work = new("buildtrust-import-");

    public void Dispose() => work.Dispose();

    private static string TestImagesRoot() => Testing.Containers.TestImages.RepositoryRoot;

    [Fact]
    public void One_version_that_reaches_the_quorum_exits_0_and_the_json_report_names_sets_and_verdicts()
    {
        var run = CliRun.Invoke("import", "guix-sigs", Published, "--keys", Path.Combine(Published, "builder-keys"), "--version", "29.4", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonNode.Parse(run.Out)!;
        Assert.True(report["passed"]!.GetValue<bool>());
        var all = report["groups"]!.AsArray().Single(g => g!["group"]!.GetValue<string>() == "29.4/all")!;
        Assert.Equal(2, all["sets"]!.AsArray().Count);
        Assert.All(all["attestations"]!.AsArray(), a => Assert.Equal("good", a!["verdict"]!.GetValue<string>()));
    }

    [Fact]
    public void The_whole_repository_exits_1_when_a_group_misses_the_quorum_and_2_without_keys()
    {
        var run = CliRun.Invoke("import", "guix-sigs", Published, "--keys", Path.Combine(Published, "builder-keys"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED  26.0rc1/all", run.Error);

        Assert.Equal(2, CliRun.Invoke("import", "guix-sigs", Published).ExitCode);
        Assert.Equal(2, CliRun.Invoke("import", "guix-sigs", Published, "--keys", work.Combine("nowhere")).ExitCode);
    }

    [Fact]
    public void A_missing_vsa_key_fails_with_exit_2_before_anything_is_evaluated()
    {
        var run = CliRun.Invoke("import", "guix-sigs", Published, "--keys", Path.Combine(Published, "builder-keys"), "--vsa", work.Combine("v.json"), "--vsa-key", work.Combine("absent.pem"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("absent.pem", run.Error);
        Assert.DoesNotContain("IMPORT", run.Error);
        Assert.False(File.Exists(work.Combine("v.json")));
    }

    [Fact]
    public void The_verdict_written_as_a_vsa_verifies_with_the_given_key_and_names_the_agreed_artifacts_and_inputs()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(work.Combine("vsa.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(work.Combine("vsa.pub"), key.ExportSubjectPublicKeyInfoPem());
        var vsa = work.Combine("import.sigstore.json");

        var run = CliRun.Invoke("import", "guix-sigs", Published, "--keys", Path.Combine(Published, "builder-keys"), "--version", "29.4", "--vsa", vsa, "--vsa-key", work.Combine("vsa.pem"));

        Assert.True(run.ExitCode == 0, run.Error);
        var check = BundleVerifier.VerifyDsse(File.ReadAllBytes(vsa), vsa, key.ExportSubjectPublicKeyInfo(), Dsse.InTotoPayloadType);
        Assert.True(check.Verified, check.Message);
        var claims = InTotoStatements.ReadVerificationSummary(check.Payload!, vsa);
        Assert.True(claims.Passed);
        Assert.Contains(claims.Subjects, s => s.Name == "29.4/all/bitcoin-29.4-x86_64-linux-gnu.tar.gz");
        Assert.Contains(claims.InputAttestations, i => i.Name == Path.Combine("29.4", "yuvicc", "all.SHA256SUMS.asc"));
        Assert.Equal(["BUILDTRUST_IMPORT_QUORUM_2"], claims.VerifiedLevels);
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.False(BundleVerifier.VerifyDsse(File.ReadAllBytes(vsa), vsa, other.ExportSubjectPublicKeyInfo(), Dsse.InTotoPayloadType).Verified);
        Assert.Equal(0, SigstoreJs.Verify(vsa, work.Combine("vsa.pub"), payloadType: Dsse.InTotoPayloadType).ExitCode);
    }
}
