using System.Security.Cryptography;
using System.Text;
using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Verifiers.Tests.Sigstore;

public sealed class BundleTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-bundle-");
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly IDigestSigner signer;

    public BundleTests()
    {
        File.WriteAllText(directory.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(directory.Combine("key.pub"), key.ExportSubjectPublicKeyInfoPem());
        signer = SigningKeys.Open(directory.Combine("key.pem"), requireHardware: false);
    }

    public void Dispose()
    {
        signer.Dispose();
        key.Dispose();
        directory.Dispose();
    }

    private byte[] Spki => key.ExportSubjectPublicKeyInfo();

    internal static ProvenanceClaims Claims(string builder = "builder-a", params StatementSubject[] subjects) => new(
        builder, "9f1c2b7e-0000-4000-8000-000000000001", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), DateTimeOffset.FromUnixTimeSeconds(1_700_000_060),
        "https://example.invalid/project.git", new string('1', 40), new string('2', 64), "sha256:" + new string('3', 64), "sha256:" + new string('3', 64),
        ["make", "-C", "samples/c-hello"], new Dictionary<string, string> { ["timezone"] = "UTC" }, new Dictionary<string, string> { ["kernel"] = "6.1" },
        subjects.Length > 0 ? subjects : [new StatementSubject("bin/hello", new string('a', 64)), new StatementSubject("bin/lib.so", new string('b', 64))]);

    private (string Path, byte[] Bytes) WriteProvenance(ProvenanceClaims? claims = null)
    {
        var bundle = BundleWriter.WriteDsse(InTotoStatements.WriteProvenance(claims ?? Claims()), Dsse.InTotoPayloadType, signer);
        File.WriteAllBytes(directory.Combine("provenance.sigstore.json"), bundle);
        return (directory.Combine("provenance.sigstore.json"), bundle);
    }

    private static byte[] Mutate(byte[] bundle, Func<string, string> change) => Encoding.UTF8.GetBytes(change(Encoding.UTF8.GetString(bundle)));

    [Fact]
    public void A_provenance_bundle_round_trips_through_the_verifier_and_the_statement_reader()
    {
        var (_, bundle) = WriteProvenance();
        var check = BundleVerifier.VerifyDsse(bundle, "p", Spki, Dsse.InTotoPayloadType);
        Assert.True(check.Verified, check.Message);
        var claims = InTotoStatements.ReadProvenance(check.Payload!, "p");
        Assert.Equal(Claims() with { Command = claims.Command, Variations = claims.Variations, BuilderFingerprint = claims.BuilderFingerprint, Subjects = claims.Subjects }, claims);
        Assert.Equal(Claims().Subjects, claims.Subjects);
    }

    [SigstoreFact]
    public void Sigstore_js_verifies_our_provenance_bundle_and_its_subjects()
    {
        var (path, _) = WriteProvenance();
        var result = SigstoreJs.Verify(path, directory.Combine("key.pub"), payloadType: Dsse.InTotoPayloadType, subjects: $"bin/hello={new string('a', 64)}");
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    [SigstoreFact]
    public void Sigstore_js_verifies_our_artifact_bundle_and_openssl_the_raw_signature()
    {
        var artifact = directory.Combine("hello");
        File.WriteAllBytes(artifact, RandomNumberGenerator.GetBytes(100_000));
        var bundle = BundleWriter.WriteMessageSignature(SHA256.HashData(File.ReadAllBytes(artifact)), signer);
        File.WriteAllBytes(artifact + ".sigstore.json", bundle);
        var result = SigstoreJs.Verify(artifact + ".sigstore.json", directory.Combine("key.pub"), artifact);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(BundleVerifier.VerifyMessageSignature(bundle, "b", Spki, SHA256.HashData(File.ReadAllBytes(artifact))).Verified);

        var signature = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(bundle).RootElement.GetProperty("messageSignature").GetProperty("signature").GetString()!);
        File.WriteAllBytes(directory.Combine("sig"), signature);
        var openssl = BuildTrust.Pipeline.Processes.ExternalProcess.Run("openssl", ["dgst", "-sha256", "-verify", directory.Combine("key.pub"), "-signature", directory.Combine("sig"), artifact]);
        Assert.Contains("Verified OK", openssl.StandardOutput);
    }

    [SigstoreFact]
    public void Sigstore_js_and_our_verifier_refuse_a_changed_artifact()
    {
        var artifact = directory.Combine("hello");
        File.WriteAllBytes(artifact, "original"u8.ToArray());
        var bundle = BundleWriter.WriteMessageSignature(SHA256.HashData(File.ReadAllBytes(artifact)), signer);
        File.WriteAllBytes(artifact + ".sigstore.json", bundle);
        File.WriteAllBytes(artifact, "Original"u8.ToArray());
        Assert.NotEqual(0, SigstoreJs.Verify(artifact + ".sigstore.json", directory.Combine("key.pub"), artifact).ExitCode);
        Assert.Equal(BundleStatus.Failed, BundleVerifier.VerifyMessageSignature(bundle, "b", Spki, SHA256.HashData(File.ReadAllBytes(artifact))).Status);
    }

    [SigstoreFact]
    public void Sigstore_js_and_our_verifier_refuse_a_statement_changed_by_one_byte()
    {
        var (path, bundle) = WriteProvenance();
        var payload = System.Text.Json.JsonDocument.Parse(bundle).RootElement.GetProperty("dsseEnvelope").GetProperty("payload").GetString()!;
        var statement = Convert.FromBase64String(payload);
        statement[statement.Length / 2] ^= 1;
        var tampered = Mutate(bundle, text => text.Replace(payload, Convert.ToBase64String(statement), StringComparison.Ordinal));
        File.WriteAllBytes(path, tampered);
        Assert.NotEqual(0, SigstoreJs.Verify(path, directory.Combine("key.pub"), payloadType: Dsse.InTotoPayloadType).ExitCode);
        Assert.Equal(BundleStatus.Failed, BundleVerifier.VerifyDsse(tampered, "p", Spki, Dsse.InTotoPayloadType).Status);
    }

    [Fact]
    public void A_changed_signature_byte_fails()
    {
        var (_, bundle) = WriteProvenance();
        var sig = System.Text.Json.JsonDocument.Parse(bundle).RootElement.GetProperty("dsseEnvelope").GetProperty("signatures")[0].GetProperty("sig").GetString()!;
        var bytes = Convert.FromBase64String(sig);
        bytes[^1] ^= 1;
        var check = BundleVerifier.VerifyDsse(Mutate(bundle, t => t.Replace(sig, Convert.ToBase64String(bytes), StringComparison.Ordinal)), "p", Spki, Dsse.InTotoPayloadType);
        Assert.Equal(BundleStatus.Failed, check.Status);
    }

    [Fact]
    public void Another_key_fails_naming_both_hints()
    {
        var (_, bundle) = WriteProvenance();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var check = BundleVerifier.VerifyDsse(bundle, "p", other.ExportSubjectPublicKeyInfo(), Dsse.InTotoPayloadType);
        Assert.Equal(BundleStatus.Failed, check.Status);
        Assert.Contains("signed by another key", check.Message);
    }

    [Fact]
    public void A_hint_rewritten_to_the_expected_key_still_fails_on_the_signature()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (_, bundle) = WriteProvenance();
        var theirs = Dsse.KeyHint(other.ExportSubjectPublicKeyInfo());
        var check = BundleVerifier.VerifyDsse(Mutate(bundle, t => t.Replace(Dsse.KeyHint(Spki), theirs, StringComparison.Ordinal)), "p", other.ExportSubjectPublicKeyInfo(), Dsse.InTotoPayloadType);
        Assert.Equal(BundleStatus.Failed, check.Status);
    }

    [Fact]
    public void A_wrong_payload_type_fails()
    {
        var bundle = BundleWriter.WriteDsse(InTotoStatements.WriteProvenance(Claims()), "application/json", signer);
        Assert.Contains("payload type", BundleVerifier.VerifyDsse(bundle, "p", Spki, Dsse.InTotoPayloadType).Message);
    }

    [Theory]
    [InlineData("\"tlogEntries\": []", "\"tlogEntries\": [], \"extra\": 1", "unknown field 'extra'")]
    [InlineData("\"tlogEntries\": []", "\"tlogEntries\": [], \"tlogEntries\": []", "")]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json", "application/vnd.dev.sigstore.bundle.v0.2+json", "mediaType")]
    [InlineData("\"publicKey\"", "\"certificate\": {\"rawBytes\": \"AA==\"}, \"publicKey\"", "certificate")]
    [InlineData("\"tlogEntries\": []", "\"tlogEntries\": [{}]", "transparency-log")]
    [InlineData("\"payloadType\"", "\"payload\": \"AA==\", \"payloadType\"", "")]
    public void Malformed_bundles_are_malformed_not_failed_or_passed(string find, string replace, string reason)
    {
        var (_, bundle) = WriteProvenance();
        var changed = Mutate(bundle, t => t.Replace(find, replace, StringComparison.Ordinal));
        Assert.NotEqual(bundle, changed);
        var check = BundleVerifier.VerifyDsse(changed, "p.json", Spki, Dsse.InTotoPayloadType);
        Assert.Equal(BundleStatus.Malformed, check.Status);
        Assert.Contains(reason, check.Message);
        Assert.StartsWith("p.json", check.Message);
    }

    [Fact]
    public void Two_signatures_bad_base64_and_truncated_json_are_malformed()
    {
        var (_, bundle) = WriteProvenance();
        var text = Encoding.UTF8.GetString(bundle);
        var start = text.IndexOf("{\n        \"sig\"", StringComparison.Ordinal);
        var end = text.IndexOf('}', start) + 1;
        var twice = text.Insert(end, "," + text[start..end]);
        Assert.Equal(BundleStatus.Malformed, BundleVerifier.VerifyDsse(Encoding.UTF8.GetBytes(twice), "p", Spki, Dsse.InTotoPayloadType).Status);
        var payload = System.Text.Json.JsonDocument.Parse(bundle).RootElement.GetProperty("dsseEnvelope").GetProperty("payload").GetString()!;
        Assert.Equal(BundleStatus.Malformed, BundleVerifier.VerifyDsse(Mutate(bundle, t => t.Replace(payload, payload[..^1] + "!", StringComparison.Ordinal)), "p", Spki, Dsse.InTotoPayloadType).Status);
        Assert.Equal(BundleStatus.Malformed, BundleVerifier.VerifyDsse(bundle[..(bundle.Length / 2)], "p", Spki, Dsse.InTotoPayloadType).Status);
    }

    [Fact]
    public void A_message_digest_that_is_not_the_artifacts_fails_even_with_a_valid_signature()
    {
        var bundle = BundleWriter.WriteMessageSignature(SHA256.HashData("one"u8), signer);
        var check = BundleVerifier.VerifyMessageSignature(bundle, "b", Spki, SHA256.HashData("two"u8));
        Assert.Equal(BundleStatus.Failed, check.Status);
        Assert.Contains("not the artifact's SHA-256", check.Message);
    }

    [Fact]
    public void Statements_with_unsorted_duplicate_or_escaping_subjects_are_refused()
    {
        foreach (var subjects in new[]
        {
            new[] { new StatementSubject("b", new string('a', 64)), new StatementSubject("a", new string('a', 64)) },
            [new StatementSubject("a", new string('a', 64)), new StatementSubject("a", new string('a', 64))],
            [new StatementSubject("../etc/passwd", new string('a', 64))],
            [new StatementSubject("/abs", new string('a', 64))],
            [new StatementSubject("a", "ABC")],
        })
        {
            Assert.Throws<SigstoreBundleException>(() => InTotoStatements.WriteProvenance(Claims("builder-a", subjects)));
        }
    }

    [Fact]
    public void A_verification_summary_round_trips()
    {
        var claims = new VerificationSummaryClaims("https://buildtrust.dev/verifier/release", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), "git+x@" + new string('1', 40),
            "policy.yaml", new string('c', 64), [new StatementSubject("provenance/builder-a.sigstore.json", new string('d', 64))], true, ["BUILDTRUST_SOURCE_GATE"],
            [new StatementSubject("bin/hello", new string('a', 64))]);
        var read = InTotoStatements.ReadVerificationSummary(InTotoStatements.WriteVerificationSummary(claims), "vsa");
        Assert.Equal(claims.InputAttestations, read.InputAttestations);
        Assert.Equal(claims.Subjects, read.Subjects);
        Assert.Equal(claims.VerifiedLevels, read.VerifiedLevels);
        Assert.Equal(claims with { InputAttestations = read.InputAttestations, VerifiedLevels = read.VerifiedLevels, Subjects = read.Subjects }, read);
    }
}
