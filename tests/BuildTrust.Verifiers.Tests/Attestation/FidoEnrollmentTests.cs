using BuildTrust.Testing.Attestation;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Attestation;

/// <summary>FIDO enrollment attestation (ssh-sk-attest-v01): what separates a genuine security key from a software emulator.</summary>
public sealed class FidoEnrollmentTests : IDisposable
{
    private static readonly byte[] Challenge = "enrollment challenge, 32 bytes!!"u8.ToArray();
    private readonly TestAttestationCa _ca = new("Test FIDO Root CA");
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _policy = new("buildtrust-policy-");

    private ReleasePolicy Policy(SoftwareFidoAuthenticator key, byte[]? attestation, byte[]? challenge = null, string? rootPem = null, string require = "attested-hardware") =>
        Policy(key.PublicKeyLine, attestation, challenge, rootPem ?? _ca.RootPem, require);

    private ReleasePolicy Policy(string publicKeyLine, byte[]? attestation, byte[]? challenge, string rootPem, string require = "attested-hardware")
    {
        Directory.CreateDirectory(_policy.Combine("keys"));
        Directory.CreateDirectory(_policy.Combine("trust"));
        File.WriteAllText(_policy.Combine("trust", "fido-root.pem"), rootPem);
        var entry = $"ssh: \"{publicKeyLine}\"";
        if (attestation is not null)
        {
            File.WriteAllBytes(_policy.Combine("keys", "alice.attest"), attestation);
            File.WriteAllBytes(_policy.Combine("keys", "alice.challenge"), challenge ?? Challenge);
            entry += "\n        attestation: keys/alice.attest\n        attestation-challenge: keys/alice.challenge";
        }
        File.WriteAllText(_policy.Combine("release.yaml"), $"""
            version: 1
            maintainers:
              - id: alice
                roles: [author]
                keys:
                  - {entry}
            trust:
              attestation-roots: [trust/fido-root.pem]
            commits:
              require: {require}

            """);
        return PolicyLoader.Load(_policy.Combine("release.yaml"));
    }

    private CommitVerdict SignAndVerify(SoftwareFidoAuthenticator key, ReleasePolicy policy)
    {
        _repo.CommitSignedBy(key, "signed with a security key");
        return SourceGate.Verify(_repo.Path, CommitRange.Parse("HEAD"), policy).Commits[0];
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Attestation", "Fixtures", name);

    private static string ShippedRootPath(string file) => Path.Combine(Tests.Policy.PolicyLoaderTests.RepositoryRoot(), "policies", "trust", file);

    private static IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> ShippedRoot(string file) =>
        KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(ShippedRootPath(file)), file);

    [Theory]
    [InlineData("yubikey-p256", "yubikey-ed25519", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73")]
    [InlineData("yubikey-ed25519", "yubikey-p256", "c5ef55ff-ad9a-4b9f-b580-adebafe026d0")]
    public void Load_RealYubiKeyEnrollment_IsAttestedByYubicosU2fRoot_AndItsTwinsAreRefused(string name, string other, string aaguid)
    {
        var attestation = File.ReadAllBytes(Fixture(name + ".attest"));
        var challenge = File.ReadAllBytes(Fixture(name + ".challenge"));
        var keyLine = File.ReadAllText(Fixture(name + ".pub")).Trim();
        var key = Verifiers.Signatures.Ssh.SshPublicKey.Parse(keyLine);
        var u2fRoot = ShippedRoot("yubico-fido-ca-1.pem");
        var alteredChallenge = challenge.ToArray();
        alteredChallenge[^3] ^= 0x01;

        var loaded = Policy(keyLine, attestation, challenge, File.ReadAllText(ShippedRootPath("yubico-fido-ca-1.pem"))).Maintainers.Single().Keys.Single().Attestation!;

        Assert.True(loaded.Valid, loaded.Failure);
        Assert.Equal(aaguid, loaded.Properties!.Aaguid);
        Assert.Contains("Yubico U2F Root CA Serial 457200631", loaded.Root);
        Assert.Contains("does not verify", FidoEnrollmentAttestation.Verify(attestation, alteredChallenge, key, u2fRoot, DateTime.UtcNow).Failure);
        Assert.Contains("different key", FidoEnrollmentAttestation.Verify(attestation, challenge, Verifiers.Signatures.Ssh.SshPublicKey.Parse(File.ReadAllText(Fixture(other + ".pub")).Trim()), u2fRoot, DateTime.UtcNow).Failure);
        Assert.Contains("does not chain", FidoEnrollmentAttestation.Verify(attestation, challenge, key, ShippedRoot("yubico-piv-ca-1.pem"), DateTime.UtcNow).Failure);
    }

    [Theory]
    [InlineData(SecurityKeyType.Ed25519)]
    [InlineData(SecurityKeyType.EcdsaP256)]
    public void Verify_WhenEnrollmentAttestationValid_PassesAttestedHardware(SecurityKeyType type)
    {
        using var key = SoftwareFidoAuthenticator.Create(type);

        var verdict = SignAndVerify(key, Policy(key, TestFidoAttestation.Create(key, _ca, Challenge)));

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Contains("user present", verdict.HardwareEvidence);
        Assert.Contains("FIDO, AAGUID 00000000-0000-4000-8000-0000000b7e57", verdict.HardwareEvidence);
        Assert.Contains("Test FIDO Root CA", verdict.HardwareEvidence);
    }

    [Fact]
    public void Verify_WhenU2fOnlyKeyEnrolled_PassesAttestedHardware_AndFailsWithAnotherChallenge()
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256);
        var attestation = TestFidoAttestation.Create(key, _ca, Challenge, u2f: true);

        Assert.Equal(CheckStatus.Passed, SignAndVerify(key, Policy(key, attestation)).Status);
        Assert.Contains("does not verify", SignAndVerify(key, Policy(key, attestation, challenge: "other"u8.ToArray())).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSecurityKeyHasNoAttestation_FailsAttestedHardware_ButPassesHardware()
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);

        Assert.Contains("software FIDO emulator", SignAndVerify(key, Policy(key, null)).FirstFailure!.Actual);
        Assert.Equal(CheckStatus.Passed, SignAndVerify(key, Policy(key, null, require: "hardware")).Status);
    }

    [Fact]
    public void Verify_WhenChallengeDiffers_Fails()
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);

        var verdict = SignAndVerify(key, Policy(key, TestFidoAttestation.Create(key, _ca, Challenge), challenge: "another challenge"u8.ToArray()));

        Assert.Contains("enrollment signature does not verify", verdict.FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenEnrolledCredentialIsAnotherKey_Fails()
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        using var other = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        var attestation = TestFidoAttestation.Create(key, _ca, Challenge, credentialOverride: TestFidoAttestation.Cose(other.PublicKeyBlob));

        Assert.Contains("different key", SignAndVerify(key, Policy(key, attestation)).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenEnrolledForAnotherApplication_Fails()
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256);

        Assert.Contains("another application", SignAndVerify(key, Policy(key, TestFidoAttestation.Create(key, _ca, Challenge, application: "ssh:other"))).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenAttestationCertificateFromUnlistedRoot_Fails()
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        using var rogue = new TestAttestationCa("Rogue Emulator CA");

        Assert.Contains("does not chain to a root", SignAndVerify(key, Policy(key, TestFidoAttestation.Create(key, rogue, Challenge))).FirstFailure!.Actual);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    public void LoadPolicy_WhenAttestationTruncated_IsRefused(int length)
    {
        using var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        var attestation = TestFidoAttestation.Create(key, _ca, Challenge);

        var error = Assert.Throws<PolicyException>(() => Policy(key, attestation[..Math.Min(length, attestation.Length - 1)]));

        Assert.Contains("alice.attest", error.Message);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _repo.Dispose();
        _policy.Dispose();
    }
}
