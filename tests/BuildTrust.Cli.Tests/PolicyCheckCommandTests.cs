using System.Text.Json;
using BuildTrust.Demo.Policies;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// <c>policy check</c> on real YubiKey evidence (the published PIV chain of serial 25515003 and the FIDO registrations of the
/// attestation fixtures, checked against Yubico's shipped roots), on rules that can never be met, and on hostile input.
/// </summary>
public sealed class PolicyCheckCommandTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new("buildtrust-policy-check-");

    private static string Fixture(string name) =>
        Path.Combine(TestImages.RepositoryRoot, "tests", "BuildTrust.Verifiers.Tests", "Attestation", "Fixtures", name);

    private static string ShippedRoot(string name) => Path.Combine(TestImages.RepositoryRoot, "policies", "trust", name);

    private CliRun Check(string yaml, params string[] extra)
    {
        var path = _dir.Combine("policies", "release.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return CliRun.Invoke(["policy", "check", "--policy", path, .. extra]);
    }

    private void Copy(string from, string relative)
    {
        var to = _dir.Combine("policies", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    /// <summary>The OpenSSH line of the key the real PIV chain attests, derived with openssl and ssh-keygen.</summary>
    private string PivKeyLine()
    {
        var chain = File.ReadAllText(Fixture("yubikey-piv-25515003-chain.pem"));
        var first = chain[chain.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)..(chain.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal) + 25)];
        var spki = ExternalProcess.Run("openssl", ["x509", "-pubkey", "-noout"], standardInput: System.Text.Encoding.ASCII.GetBytes(first)).ThrowOnFailure().StandardOutput;
        File.WriteAllText(_dir.Combine("piv.pem"), spki);
        return ExternalProcess.Run("ssh-keygen", ["-i", "-m", "PKCS8", "-f", _dir.Combine("piv.pem")]).ThrowOnFailure().StandardOutput.Trim();
    }

    private string PivPolicy(string chainFile, string commitsExtra = "") => $"""
        version: 1
        maintainers:
          - id: docker-signer
            roles: [author, reviewer, policy-admin]
            keys:
              - ssh: "{PivKeyLine()}"
                attestation: {chainFile}
          - id: other
            roles: [author, reviewer, policy-admin]
            keys:
              - ssh: "{SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "other").PublicKeyLine}"
        trust:
          attestation-roots: [trust/yubico-piv-ca-1.pem]
        commits:
          require: hardware
        {commitsExtra}
        """;

    [Fact]
    public void PolicyCheck_RealYubiKeyPivChain_ReportsSerialFirmwarePinTouchFormFactorAndRoot()
    {
        Copy(Fixture("yubikey-piv-25515003-chain.pem"), "keys/piv-chain.pem");
        Copy(ShippedRoot("yubico-piv-ca-1.pem"), "trust/yubico-piv-ca-1.pem");

        var run = Check(PivPolicy("keys/piv-chain.pem"), "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("key-attestation verified, root 'CN=Yubico PIV Root CA Serial 263751', applet PIV, serial 25515003, firmware 5.4.3, PIN policy always, touch policy never, form factor", run.Error);
        Assert.Contains("POLICY CHECK PASSED", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var evidence = json.RootElement.GetProperty("report").GetProperty("maintainers")[0].GetProperty("keys")[0].GetProperty("evidence");
        Assert.Equal(25515003, evidence.GetProperty("serial").GetInt64());
        Assert.Equal("5.4.3", evidence.GetProperty("firmware").GetString());
        Assert.Equal("never", evidence.GetProperty("touch").GetString());
        Assert.False(string.IsNullOrEmpty(evidence.GetProperty("formFactorName").GetString()));
        Assert.Equal(0, json.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void PolicyCheck_RealPivKeyWithTouchPolicyNever_UnderRequireTouch_WarnsThatTheKeyCanNeverPass()
    {
        Copy(Fixture("yubikey-piv-25515003-chain.pem"), "keys/piv-chain.pem");
        Copy(ShippedRoot("yubico-piv-ca-1.pem"), "trust/yubico-piv-ca-1.pem");

        var run = Check(PivPolicy("keys/piv-chain.pem", "  require-touch: true"));

        Assert.Contains("cannot pass: commits.require-touch is set and the attested touch policy is 'never'", run.Error);
        Assert.Contains("WARNING   docker-signer", run.Error);
    }

    [Fact]
    public void PolicyCheck_ChainInReverseOrder_SaysToPutTheSlotCertificateFirst()
    {
        var pem = File.ReadAllText(Fixture("yubikey-piv-25515003-chain.pem"));
        var certificates = pem.Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries).Where(c => c.Contains("BEGIN", StringComparison.Ordinal))
            .Select(c => c[c.IndexOf("-----BEGIN", StringComparison.Ordinal)..] + "-----END CERTIFICATE-----\n").ToList();
        Directory.CreateDirectory(_dir.Combine("policies", "keys"));
        File.WriteAllText(_dir.Combine("policies", "keys", "reversed.pem"), certificates[1] + certificates[0]);
        Copy(ShippedRoot("yubico-piv-ca-1.pem"), "trust/yubico-piv-ca-1.pem");

        var run = Check(PivPolicy("keys/reversed.pem"));

        Assert.Contains("the certificates are in the wrong order: put the slot certificate 'CN=YubiKey PIV Attestation 9c' (the one that attests the key) first", run.Error);
        Assert.Contains("FAIL ecdsa-sha2-nistp384", run.Error);
    }

    [Theory]
    [InlineData("yubikey-ed25519", "c5ef55ff-ad9a-4b9f-b580-adebafe026d0 (YubiKey 5 Series with Lightning)")]
    [InlineData("yubikey-p256", "6d44ba9b-f6ec-2e49-b930-0c8fe920cb73 (Security Key by Yubico with NFC)")]
    public void PolicyCheck_RealYubiKeyFidoEnrollment_ReportsTheAaguidsModelAndEnrollmentFlags(string fixture, string model)
    {
        Copy(Fixture(fixture + ".attest"), "keys/sk.attest");
        Copy(Fixture(fixture + ".challenge"), "keys/sk.challenge");
        Copy(ShippedRoot("yubico-fido-ca-1.pem"), "trust/yubico-fido-ca-1.pem");
        var yaml = $"""
            version: 1
            maintainers:
              - id: alice
                roles: [author, reviewer, policy-admin]
                keys:
                  - ssh: "{File.ReadAllText(Fixture(fixture + ".pub")).Trim()}"
                    attestation: keys/sk.attest
                    attestation-challenge: keys/sk.challenge
            trust:
              attestation-roots: [trust/yubico-fido-ca-1.pem]
            commits:
              require: attested-hardware
            """;

        var run = Check(yaml, "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"fido-enrollment verified, root 'CN=Yubico U2F Root CA Serial 457200631', applet FIDO, AAGUID {model}, enrollment flags user-present+", run.Error);
        Assert.Contains("WARNING   alice: 'alice' is the only policy-admin", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var evidence = json.RootElement.GetProperty("report").GetProperty("maintainers")[0].GetProperty("keys")[0].GetProperty("evidence");
        Assert.Contains("attested-credential", evidence.GetProperty("enrollmentFlags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void PolicyCheck_WhenReviewsCannotBeReached_ExitsOneNamingTheRule()
    {
        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");

        var run = Check(new PolicyBuilder().Maintainer("alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine).Reviews(1).ToYaml(), "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NEVER MET alice: commits by 'alice' need 1 review(s)", run.Error);
        Assert.Equal(1, JsonDocument.Parse(run.Out).RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void PolicyCheck_WhenNoKeyHasHardwareEvidence_UnderRequireHardware_ExitsOne()
    {
        var key = SshKeygenKey.Generate(_dir.Path, "ed25519", comment: "software");

        var run = Check(new PolicyBuilder().Maintainer("alice", ["author", "reviewer", "policy-admin"], key.PublicKeyLine).ToYaml());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot pass: require: hardware and there is no hardware evidence", run.Error);
        Assert.Contains("NEVER MET commits: no author has a key that can pass", run.Error);
    }

    [Fact]
    public void PolicyCheck_WhenAKeyExpiresWithinThirtyDays_Warns_AndAnExpiredOneCannotPass()
    {
        using var soon = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "soon");
        using var gone = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "gone");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var policy = new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer", "policy-admin"], null, (soon.PublicKeyLine, today.AddDays(10)))
            .Maintainer("bob", ["author", "reviewer", "policy-admin"], null, (gone.PublicKeyLine, today.AddDays(-1)))
            .ToYaml();

        var run = Check(policy);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"expires on {today.AddDays(10):yyyy-MM-dd}, in 10 day(s)", run.Error);
        Assert.Contains($"cannot pass: expired on {today.AddDays(-1):yyyy-MM-dd}", run.Error);
    }

    [Fact]
    public void PolicyCheck_WhenTheQuorumCannotBeReachedIndependently_ExitsOne()
    {
        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
        Directory.CreateDirectory(_dir.Combine("policies", "builders"));
        foreach (var name in new[] { "a", "b" })
        {
            using var builderKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            File.WriteAllText(_dir.Combine("policies", "builders", $"{name}.pub"), builderKey.ExportSubjectPublicKeyInfoPem());
        }
        using var releaseKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(_dir.Combine("policies", "release.pub"), releaseKey.ExportSubjectPublicKeyInfoPem());
        var yaml = new PolicyBuilder().Maintainer("alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine).ToYaml() + """
            builders:
              - id: builder-a
                endpoint: unix:///var/run/docker.sock
                key: builders/a.pub
              - id: builder-b
                endpoint: unix:///var/run/docker.sock
                key: builders/b.pub
            build:
              image: "sha256:0000000000000000000000000000000000000000000000000000000000000000"
              command: ["make"]
              outputs: ["/out/**"]
            release:
              quorum: 2
              signing-key: "pkcs11:token=release;object=release?module-path=/usr/lib/softhsm/libsofthsm2.so"
              public-key: release.pub
            """;

        var run = Check(yaml);

        Assert.True(run.ExitCode == 1, run.Error);
        Assert.Contains("NEVER MET release.quorum: quorum 2 needs that many independent builders and the listed ones give at most 1 (builder-b is not independent of builder-a)", run.Error);
    }

    [Fact]
    public void PolicyCheck_WhenMalformed_ExitsTwoNamingTheLine_AndWithoutAPolicyFile_ExitsTwo()
    {
        var malformed = Check("version: 1\nmaintainers:\n  - id: alice\n    surprise: true\n");
        var missing = CliRun.Invoke("policy", "check", "--policy", _dir.Combine("nope", "release.yaml"));

        Assert.Equal(2, malformed.ExitCode);
        Assert.Matches(@"release\.yaml:4:\d+: ", malformed.Error);
        Assert.Equal(2, missing.ExitCode);
        Assert.DoesNotContain("   at ", missing.Error);
    }

    [Fact]
    public void PolicyCheck_FromATrustedRef_ChecksThePolicyAsAuthenticated_AndRefusesAnUnapprovedChange()
    {
        using var repo = TestRepository.Create();
        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
        using var bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "bob");
        using var mallory = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "mallory");
        var policy = new PolicyBuilder().Maintainer("alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine)
            .Maintainer("bob", ["author", "reviewer"], bob.PublicKeyLine).Reviews(1);
        var root = repo.CommitSignedBy(alice, "Adopt BuildTrust", file: "policies/release.yaml", content: policy.ToYaml());
        repo.CommitSignedBy(alice, "Pin the trust root", file: ".nuke/parameters.json", content: $$"""{ "TrustRoot": "{{root}}" }""");
        repo.Approve(repo.Head, bob);

        var good = CliRun.Invoke("policy", "check", "--repo", repo.Path, "--trusted-ref", "main", "--json");
        repo.CommitSignedBy(bob, "Add mallory", file: "policies/release.yaml",
            content: policy.Maintainer("mallory", ["author", "reviewer", "policy-admin"], mallory.PublicKeyLine).ToYaml());
        var bad = CliRun.Invoke("policy", "check", "--repo", repo.Path, "--trusted-ref", "main");

        Assert.True(good.ExitCode == 0, good.Error);
        Assert.Contains($"the policy at main, authenticated through history from the trust root (TrustRoot in .nuke/parameters.json at the trusted ref main", good.Error);
        Assert.Equal("https://buildtrust.invalid/schemas/policy-check/v1", JsonDocument.Parse(good.Out).RootElement.GetProperty("schema").GetString());
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("the policy at main is NOT authenticated", bad.Error);
        Assert.Contains("REFUSED policy change", bad.Error);
    }

    [Fact]
    public void PolicyCheck_WithARepositoryButNoTrustRoot_ExitsTwo_RatherThanReadingTheWorkingTree()
    {
        using var repo = TestRepository.Create();
        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
        repo.CommitSignedBy(alice, "Adopt BuildTrust", file: "policies/release.yaml",
            content: new PolicyBuilder().Maintainer("alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine).ToYaml());

        var run = CliRun.Invoke("policy", "check", "--repo", repo.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("policy check --repo needs a trust root", run.Error);
    }

    public void Dispose() => _dir.Dispose();
}
