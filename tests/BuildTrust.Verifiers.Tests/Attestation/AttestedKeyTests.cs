using System.Security.Cryptography;
using BuildTrust.Testing.Attestation;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Attestation;

/// <summary>Keys proven to live on a token by a YubiKey-shaped attestation chain from the test attestation CA.</summary>
public sealed class AttestedKeyTests : IDisposable
{
    private readonly TestAttestationCa _ca = new();
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _policy = new("buildtrust-policy-");
    private readonly TemporaryDirectory _keys = new("buildtrust-keys-");

    private ReleasePolicy Policy(string keyEntry, string chain, string? rootPem = null, bool requireTouch = false, string require = "hardware")
    {
        Directory.CreateDirectory(_policy.Combine("keys"));
        Directory.CreateDirectory(_policy.Combine("trust"));
        File.WriteAllText(_policy.Combine("keys", "attestation.pem"), chain);
        File.WriteAllText(_policy.Combine("trust", "root.pem"), rootPem ?? _ca.RootPem);
        var yaml = $"""
            version: 1
            maintainers:
              - id: alice
                roles: [author]
                keys:
                  - {keyEntry}
                    attestation: keys/attestation.pem
            trust:
              attestation-roots: [trust/root.pem]
            commits:
              require: {require}
              require-touch: {(requireTouch ? "true" : "false")}

            """;
        File.WriteAllText(_policy.Combine("release.yaml"), yaml);
        return PolicyLoader.Load(_policy.Combine("release.yaml"));
    }

    private CommitVerdict VerifyHead(ReleasePolicy policy) => SourceGate.Verify(_repo.Path, CommitRange.Parse("HEAD"), policy).Commits[0];

    private (SshKeygenKey Key, string Entry) PivKey(string type = "ecdsa", int bits = 256)
    {
        var key = SshKeygenKey.Generate(_keys.Path, type, bits, "alice-piv");
        return (key, $"ssh: \"{key.PublicKeyLine}\"");
    }

    [Theory]
    [InlineData("ecdsa", 256)]
    [InlineData("ecdsa", 384)]
    [InlineData("rsa", 2048)]
    public void Verify_WhenSshKeyHasValidPivAttestation_PassesHardwareWithVendorDetails(string type, int bits)
    {
        var (key, entry) = PivKey(type, bits);
        var policy = Policy(entry, _ca.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine)));
        _repo.CommitWithGit("signed on the token", key);

        var verdict = VerifyHead(policy);

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Contains("PIV, firmware 5.4.3, serial 12345678, PIN once, touch always", verdict.HardwareEvidence);
        Assert.Contains("BuildTrust Test Attestation Root CA", verdict.HardwareEvidence);
    }

    [Fact]
    public void Verify_WhenChainEndsAtUnlistedRoot_FailsHardware()
    {
        using var other = new TestAttestationCa("Some Other Root");
        var (key, entry) = PivKey();
        var policy = Policy(entry, other.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine)));
        _repo.CommitWithGit("signed", key);

        Assert.Contains("does not chain to a root in trust.attestation-roots", VerifyHead(policy).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenAttestationIsForAnotherKey_FailsHardware()
    {
        var (key, entry) = PivKey();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var policy = Policy(entry, _ca.IssueChain(new System.Security.Cryptography.X509Certificates.PublicKey(otherKey)));
        _repo.CommitWithGit("signed", key);

        Assert.Contains("attests a different key", VerifyHead(policy).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenAttestationSignatureBroken_FailsHardware()
    {
        var (key, entry) = PivKey();
        var policy = Policy(entry, _ca.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine), new AttestationOptions(BrokenSignature: true)));
        _repo.CommitWithGit("signed", key);

        Assert.Contains("does not verify with the key of", VerifyHead(policy).FirstFailure!.Actual);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Verify_WhenACertificateExpired_FailsHardware(bool leaf, bool device)
    {
        var (key, entry) = PivKey();
        var policy = Policy(entry, _ca.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine), new AttestationOptions(ExpiredLeaf: leaf, ExpiredDevice: device)));
        _repo.CommitWithGit("signed", key);

        Assert.Contains("is not valid on", VerifyHead(policy).FirstFailure!.Actual);
    }

    [Fact]
    public void Attestation_IsJudgedAtTheTimeTheCallerGives_SoAnOldDecisionStandsAfterTheCertificateExpired()
    {
        var (key, entry) = PivKey();
        Policy(entry, _ca.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine), new AttestationOptions(ExpiredLeaf: true)));
        var bytes = File.ReadAllBytes(_policy.Combine("release.yaml"));
        var files = new DirectoryPolicyFiles(_policy.Path);

        var then = PolicyLoader.Parse(bytes, "release.yaml", files, DateTimeOffset.UtcNow.AddDays(-3)).Maintainers[0].Keys[0].Attestation!;
        var now = PolicyLoader.Parse(bytes, "release.yaml", files).Maintainers[0].Keys[0].Attestation!;

        Assert.True(then.Valid, then.Failure);
        Assert.False(now.Valid);
        Assert.Contains("is not valid on", now.Failure);
    }

    [Fact]
    public void Verify_WhenTouchPolicyNeverAndTouchRequired_Fails_AndPassesWhenNotRequired()
    {
        var (key, entry) = PivKey();
        var chain = _ca.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine), new AttestationOptions(Touch: 1));
        _repo.CommitWithGit("signed", key);

        Assert.Contains("touch policy is 'never'", VerifyHead(Policy(entry, chain, requireTouch: true)).FirstFailure!.Actual);
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(entry, chain, requireTouch: false)).Status);
    }

    [Theory]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n")]
    public void LoadPolicy_WhenAttestationFileMalformed_IsRefusedNamingLine(string chain)
    {
        var (_, entry) = PivKey();

        var error = Assert.Throws<PolicyException>(() => Policy(entry, chain));

        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void LoadPolicy_WhenAttestationGivenWithoutTrustRoots_IsRefused()
    {
        var (key, entry) = PivKey();
        Policy(entry, _ca.IssueChain(PublicKeys.FromOpenSsh(key.PublicKeyLine)));
        var yaml = File.ReadAllText(_policy.Combine("release.yaml")).Replace("trust:\n  attestation-roots: [trust/root.pem]\n", "", StringComparison.Ordinal);
        File.WriteAllText(_policy.Combine("release.yaml"), yaml);

        Assert.Contains("needs trust.attestation-roots", Assert.Throws<PolicyException>(() => PolicyLoader.Load(_policy.Combine("release.yaml"))).Message);
    }

    [Fact]
    public void LoadPolicy_WhenSecurityKeyAttestationHasNoChallenge_IsRefused()
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256);
        var chain = _ca.IssueChain(PublicKeys.FromOpenSsh(PivKey().Key.PublicKeyLine));

        Assert.Contains("needs 'attestation-challenge'", Assert.Throws<PolicyException>(() => Policy($"ssh: \"{authenticator.PublicKeyLine}\"", chain)).Message);
    }

    [Fact]
    public void Verify_WhenOpenPgpKeyHasValidAttestation_PassesHardware_AndImportedKeyFails()
    {
        using var gpg = new GpgKeyring();
        _repo.Environment = gpg.Environment;
        var fingerprint = gpg.Generate("Alice <alice@test.invalid>", "rsa2048");
        var keyFile = _policy.Combine("keys", "alice.asc");
        Directory.CreateDirectory(_policy.Combine("keys"));
        File.WriteAllText(keyFile, gpg.ExportPublic(fingerprint));
        var rsa = (RsaPublicBcpgKey)new PgpPublicKeyRing(PgpUtilities.GetDecoderStream(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(gpg.ExportPublic(fingerprint))))).GetPublicKey().PublicKeyPacket.Key;
        var publicKey = PublicKeys.FromRsa(rsa.Modulus.ToByteArrayUnsigned(), rsa.PublicExponent.ToByteArrayUnsigned());
        _repo.CommitSignedBy(new GpgSigner(gpg, fingerprint), "signed on the OpenPGP applet");

        var generated = VerifyHead(Policy("openpgp: keys/alice.asc", _ca.IssueChain(publicKey, new AttestationOptions(Applet: "OpenPGP", Touch: 1)), requireTouch: true));
        var imported = VerifyHead(Policy("openpgp: keys/alice.asc", _ca.IssueChain(publicKey, new AttestationOptions(Applet: "OpenPGP", ImportedKey: true))));

        Assert.Equal(CheckStatus.Passed, generated.Status);
        Assert.Contains("OpenPGP, firmware 5.4.3, serial 12345678, touch always", generated.HardwareEvidence);
        Assert.Contains("imported", imported.FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_RealYubiKeyPivChain_ChainsToYubicosPivRootAndReportsItsExtensions()
    {
        var root = Path.Combine(BuildTrust.Verifiers.Tests.Policy.PolicyLoaderTests.RepositoryRoot(), "policies", "trust");
        var chain = KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Attestation", "Fixtures", "yubikey-piv-25515003-chain.pem")), "fixture");
        var pivRoot = KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(Path.Combine(root, "yubico-piv-ca-1.pem")), "PIV root");
        var openPgpRoot = KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(Path.Combine(root, "yubico-opgp-ca-1.pem")), "OpenPGP root");
        var attested = PublicKeyMaterial.FromCertificateKey(chain[0].GetPublicKey());
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var other = PublicKeyMaterial.FromCertificateKey(Org.BouncyCastle.Security.PublicKeyFactory.CreateKey(otherKey.ExportSubjectPublicKeyInfo()));

        var (result, index) = KeyAttestationVerifier.Verify(chain, pivRoot, [other, attested], DateTime.UtcNow);

        Assert.True(result.Valid, result.Failure);
        Assert.Equal(1, index);
        Assert.Equal("ec-p384", attested.Kind);
        Assert.Equal(("PIV", "5.4.3", 25515003L), (result.Properties!.Applet, result.Properties.Firmware, result.Properties.Serial));
        Assert.NotNull(result.Properties.Touch);
        Assert.Contains("Yubico PIV Root CA", result.Root);
        Assert.False(KeyAttestationVerifier.Verify(chain, pivRoot, [other], DateTime.UtcNow).Result.Valid);
        Assert.Contains("does not chain", KeyAttestationVerifier.Verify(chain, openPgpRoot, [attested], DateTime.UtcNow).Result.Failure);
    }

    [Fact]
    public void ShippedYubicoRoots_ParseAndMatchPublishedFingerprints()
    {
        var trust = Path.Combine(BuildTrust.Verifiers.Tests.Policy.PolicyLoaderTests.RepositoryRoot(), "policies", "trust");
        var readme = File.ReadAllText(Path.Combine(trust, "README.md"));
        foreach (var file in new[] { "yubico-ca-1.pem", "yubico-fido-ca-1.pem", "yubico-fido-ca-2.pem", "yubico-opgp-ca-1.pem", "yubico-piv-ca-1.pem" })
        {
            var certificate = Assert.Single(KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(Path.Combine(trust, file)), file));
            var fingerprint = string.Join(':', SHA256.HashData(certificate.GetEncoded()).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Contains($"`{file}`: ", readme);
            Assert.Contains(fingerprint, readme);
            certificate.Verify(certificate.GetPublicKey());
        }
        Assert.True(KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(Path.Combine(trust, "yubico-intermediate.pem")), "intermediates").Count > 1);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _repo.Dispose();
        _policy.Dispose();
        _keys.Dispose();
    }
}
