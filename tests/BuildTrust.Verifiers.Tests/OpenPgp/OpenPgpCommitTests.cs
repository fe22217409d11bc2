using System.Text;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using Org.BouncyCastle.Bcpg;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.OpenPgp;

/// <summary>OpenPGP commit signatures made with the real gpg, cross-checked with gpg --verify and git verify-commit.</summary>
public sealed class OpenPgpCommitTests : IDisposable
{
    private readonly GpgKeyring _gpg = new();
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _policyDirectory = new("buildtrust-policy-");

    public OpenPgpCommitTests() => _repo.Environment = _gpg.Environment;

    private ReleasePolicy Policy(string key, string require = "signed", int reviews = 0, params (string Id, string Key)[] others)
    {
        var keys = Directory.CreateDirectory(_policyDirectory.Combine("keys")).FullName;
        File.WriteAllText(Path.Combine(keys, "alice.asc"), _gpg.ExportPublic(key));
        var builder = new PolicyBuilder().OpenPgpMaintainer("alice", ["author", "reviewer"], "keys/alice.asc").Require(require).Reviews(reviews);
        foreach (var (id, other) in others)
        {
            File.WriteAllText(Path.Combine(keys, $"{id}.asc"), _gpg.ExportPublic(other));
            builder.OpenPgpMaintainer(id, ["author", "reviewer"], $"keys/{id}.asc");
        }
        return PolicyLoader.Load(builder.WriteTo(_policyDirectory.Combine("release.yaml")));
    }

    private CommitVerdict VerifyHead(ReleasePolicy policy) =>
        SourceGate.Verify(_repo.Path, CommitRange.Parse("HEAD"), policy).Commits[0];

    [Theory]
    [InlineData("ed25519", "openpgp-ed25519")]
    [InlineData("rsa3072", "openpgp-rsa3072")]
    [InlineData("nistp256", "openpgp-ecdsa-p256")]
    [InlineData("nistp384", "openpgp-ecdsa-p384")]
    public void Verify_WhenGitCommitSignedWithGpg_PassesSigned_FailsHardware_AndGitAgrees(string algorithm, string keyType)
    {
        var key = _gpg.Generate($"Alice {algorithm} <alice@test.invalid>", algorithm);
        _repo.Git("-c", "gpg.format=openpgp", "-c", $"user.signingkey={key}", "commit", "-q", "--allow-empty", "-S", "-m", "signed with gpg");
        Assert.Equal(0, ExternalProcessWithGpg("git", "verify-commit", "HEAD").ExitCode);

        var signed = VerifyHead(Policy(key));
        var hardware = VerifyHead(Policy(key, require: "hardware"));

        Assert.Equal(CheckStatus.Passed, signed.Status);
        Assert.Equal("alice", signed.Signer);
        Assert.Equal(keyType, signed.KeyType);
        Assert.Equal(key, signed.KeyFingerprint);
        Assert.Contains("no hardware evidence", hardware.FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSignedBySigningSubkey_Passes()
    {
        var primary = _gpg.Generate("Alice <alice@test.invalid>", "ed25519", "cert");
        var subkey = _gpg.AddSubkey(primary, "ed25519", "sign");
        _repo.CommitSignedBy(new GpgSigner(_gpg, subkey), "by the subkey");

        var verdict = VerifyHead(Policy(primary));

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Equal(subkey, verdict.KeyFingerprint);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ed25519")]
    public void Verify_WhenSigningSubkeyRevoked_FailsForRsaAndEd25519Primaries(string algorithm)
    {
        var primary = _gpg.Generate("Alice <alice@test.invalid>", algorithm, "cert");
        var subkey = _gpg.AddSubkey(primary, algorithm, "sign");
        _repo.CommitSignedBy(new GpgSigner(_gpg, subkey), "by the subkey");
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(primary)).Status);

        _gpg.RevokeSubkey(primary, subkey);

        Assert.Contains("revoked", VerifyHead(Policy(primary)).FirstFailure!.Actual);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ed25519")]
    public void LoadPolicy_WhenUserIdAlteredAfterSelfSignature_IsRefused(string algorithm)
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>", algorithm);
        var armored = _gpg.ExportPublic(key);
        var binary = Convert.FromBase64String(string.Concat(armored.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal) && !l.StartsWith('='))));
        var at = binary.AsSpan().IndexOf("alice@test"u8);
        binary[at] = (byte)'m';
        var keys = Directory.CreateDirectory(_policyDirectory.Combine("keys")).FullName;
        File.WriteAllBytes(Path.Combine(keys, "alice.asc"), binary);
        var policy = new PolicyBuilder().OpenPgpMaintainer("alice", ["author"], "keys/alice.asc").WriteTo(_policyDirectory.Combine("release.yaml"));

        Assert.Contains("no valid self-signature", Assert.Throws<PolicyException>(() => PolicyLoader.Load(policy)).Message);
    }

    [Fact]
    public void Verify_WhenSha1Signature_Fails()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>");
        _repo.CommitSignedBy(new InProcessPgpSigner(_gpg.ExportSecret(key), key, HashAlgorithmTag.Sha1), "sha1");

        Assert.Contains("uses SHA-1, which is refused", VerifyHead(Policy(key)).FirstFailure!.Actual);
    }

    [Theory]
    [InlineData(HashAlgorithmTag.Sha3_256)]
    [InlineData(HashAlgorithmTag.Sha3_512)]
    public void Verify_WhenRsaSignatureUsesSha3_IsVerifiedByThePlatformsRsa_AndATamperedOneFails(HashAlgorithmTag hash)
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>", "rsa3072");
        _repo.CommitSignedBy(new InProcessPgpSigner(_gpg.ExportSecret(key), key, hash), "sha3");
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(key)).Status);

        _repo.CommitSignedBy(new InProcessPgpSigner(_gpg.ExportSecret(key), key, hash), "sha3 tampered",
            tamper: raw => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(raw).Replace("sha3 tampered", "sha3 tampereD", StringComparison.Ordinal)));
        Assert.Equal("signature.valid", VerifyHead(Policy(key)).FirstFailure!.Id);
    }

    [Fact]
    public void LoadPolicy_WhenTheOnlySelfSignatureIsSha1_IsRefusedNamingSha1_AndLoadsOnceRecertifiedAsTheMessageSays()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>", options: ["--cert-digest-algo", "SHA1"]);

        var refused = Assert.Throws<PolicyException>(() => Policy(key));
        _gpg.SetExpiry(key, "2y", options: ["--cert-digest-algo", "SHA512"]);

        Assert.Contains("no valid self-signature: the latest uses SHA-1, which is refused", refused.Message);
        Assert.Contains($"--cert-digest-algo SHA512 --quick-set-expire {key}", refused.Message);
        Assert.Equal("alice", Policy(key).Maintainers[0].Id);
    }

    [Fact]
    public void Verify_WhenSigningSubkeyIsBoundWithSha1_FailsNamingSha1()
    {
        var primary = _gpg.Generate("Alice <alice@test.invalid>", "rsa2048", "cert");
        var subkey = _gpg.AddSubkey(primary, "rsa2048", "sign");
        var forge = new PgpKeyForge(_gpg.ExportSecret(primary));
        var created = DateTime.UtcNow.AddMinutes(-1);
        var binding = new PgpSubkeyOptions(subkey, new PgpSignatureOptions(created) { KeyFlags = 0x02, Hash = HashAlgorithmTag.Sha1 }, new PgpSignatureOptions(created));
        _repo.CommitSignedBy(new GpgSigner(_gpg, subkey), "by the subkey");
        var keys = Directory.CreateDirectory(_policyDirectory.Combine("keys")).FullName;
        File.WriteAllText(Path.Combine(keys, "alice.asc"), forge.PublicKey(new PgpSignatureOptions(created) { KeyFlags = 0x01 }, [binding]));
        var policy = PolicyLoader.Load(new PolicyBuilder().OpenPgpMaintainer("alice", ["author"], "keys/alice.asc").Require("signed").WriteTo(_policyDirectory.Combine("release.yaml")));

        Assert.Contains("not bound to the primary key by a valid binding signature: the latest uses SHA-1", VerifyHead(policy).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenCommitSignatureCarriesAnUnknownCriticalNotation_FailsAsGitDoes_AndPassesWhenNotCritical()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>");
        _repo.CommitSignedBy(new GpgSigner(_gpg, key, options: ["--sig-notation", "!build-host@example.org=ci-7"]), "critical notation");
        var gitOnCritical = ExternalProcessWithGpg("git", "verify-commit", "HEAD").ExitCode;
        var critical = VerifyHead(Policy(key));
        _repo.CommitSignedBy(new GpgSigner(_gpg, key, options: ["--sig-notation", "build-host@example.org=ci-7"]), "notation");

        Assert.NotEqual(0, gitOnCritical);
        Assert.Contains("critical notation 'build-host@example.org'", critical.FirstFailure!.Actual);
        Assert.Equal(0, ExternalProcessWithGpg("git", "verify-commit", "HEAD").ExitCode);
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(key)).Status);
    }

    [Fact]
    public void Verify_WhenCommitSignatureIsPastItsOwnExpirationTime_FailsAsGitDoes_AndPassesWhileValid()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>", fakedTime: "20200101T000000!");
        _repo.CommitSignedBy(new GpgSigner(_gpg, key, options: ["--faked-system-time", "20200101T000100!", "--default-sig-expire", "1d"]), "expired signature");
        var gitOnExpired = ExternalProcessWithGpg("git", "verify-commit", "HEAD").ExitCode;
        var expired = VerifyHead(Policy(key));
        _repo.CommitSignedBy(new GpgSigner(_gpg, key, options: ["--default-sig-expire", "10y"]), "signature valid for ten years");

        Assert.NotEqual(0, gitOnExpired);
        Assert.Contains("the signature expired on 2020-01-02", expired.FirstFailure!.Actual);
        Assert.Equal(0, ExternalProcessWithGpg("git", "verify-commit", "HEAD").ExitCode);
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(key)).Status);
    }

    [Fact]
    public void Verify_WhenKeyExpiredBeforeSignature_Fails()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>", expire: "1d", fakedTime: "20200101T000000!");
        var signedAt = new DateTime(2020, 1, 10, 0, 0, 0, DateTimeKind.Utc);
        _repo.CommitSignedBy(new InProcessPgpSigner(_gpg.ExportSecret(key), key, signedAt: signedAt), "after expiry");

        Assert.Contains("expired on 2020-01-02", VerifyHead(Policy(key)).FirstFailure!.Actual);

        _repo.CommitSignedBy(new InProcessPgpSigner(_gpg.ExportSecret(key), key, signedAt: new DateTime(2020, 1, 1, 12, 0, 0, DateTimeKind.Utc)), "while valid");
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(key)).Status);
    }

    [Fact]
    public void Verify_WhenSubkeyRevoked_Fails()
    {
        var primary = _gpg.Generate("Alice <alice@test.invalid>", "ed25519", "cert");
        var subkey = _gpg.AddSubkey(primary, "ed25519", "sign");
        _repo.CommitSignedBy(new GpgSigner(_gpg, subkey), "by the subkey");
        Assert.Equal(CheckStatus.Passed, VerifyHead(Policy(primary)).Status);

        _gpg.RevokeSubkey(primary, subkey);

        Assert.Contains("revoked", VerifyHead(Policy(primary)).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSignedBySubkeyWithoutSigningCapability_Fails()
    {
        var primary = _gpg.Generate("Alice <alice@test.invalid>", "ed25519", "cert");
        var encryption = _gpg.AddSubkey(primary, "rsa2048", "encr");
        _repo.CommitSignedBy(new InProcessPgpSigner(_gpg.ExportSecret(primary), encryption), "by an encryption subkey");

        Assert.Contains("not certified for signing", VerifyHead(Policy(primary)).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSignedByKeyNotInPolicy_Fails()
    {
        var alice = _gpg.Generate("Alice <alice@test.invalid>");
        var mallory = _gpg.Generate("Mallory <mallory@test.invalid>");
        _repo.CommitSignedBy(new GpgSigner(_gpg, mallory), "mallory");

        Assert.Equal("signer.known", VerifyHead(Policy(alice)).FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenSignatureCopiedOntoChangedCommit_Fails()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>");
        _repo.CommitSignedBy(new GpgSigner(_gpg, key), "harmless", tamper: raw => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(raw).Replace("harmless", "evil!!!!", StringComparison.Ordinal)));

        Assert.Contains("does not verify", VerifyHead(Policy(key)).FirstFailure!.Actual);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(60)]
    [InlineData(100)]
    public void Verify_WhenSignaturePacketTruncated_IsMalformed(int keep)
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>");
        var genuine = _gpg.Sign(key, "x"u8.ToArray());
        var body = Convert.FromBase64String(string.Concat(genuine.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal) && !l.StartsWith('='))));
        var truncated = $"-----BEGIN PGP SIGNATURE-----\n\n{Convert.ToBase64String(body.AsSpan(0, Math.Min(keep, body.Length - 1)))}\n-----END PGP SIGNATURE-----\n";
        _repo.CommitSignedBy(new ConstantSigner(truncated), "truncated");

        Assert.Equal(CheckStatus.Malformed, VerifyHead(Policy(key)).Status);
    }

    [Fact]
    public void Verify_WhenSignatureIsGarbage_IsMalformed()
    {
        var key = _gpg.Generate("Alice <alice@test.invalid>");
        _repo.CommitSignedBy(new ConstantSigner("-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgcGFja2V0IGF0IGFsbA==\n-----END PGP SIGNATURE-----\n"), "garbage");

        Assert.Equal(CheckStatus.Malformed, VerifyHead(Policy(key)).Status);
    }

    [Fact]
    public void Verify_WhenApprovalIsOpenPgp_IsCounted_AndGpgAgrees()
    {
        var alice = _gpg.Generate("Alice <alice@test.invalid>");
        var bob = _gpg.Generate("Bob <bob@test.invalid>");
        var change = _repo.CommitSignedBy(new GpgSigner(_gpg, alice), "feature");
        var approval = _repo.Approve(change, new GpgSigner(_gpg, bob));
        var record = Encoding.ASCII.GetBytes($"buildtrust-review v1 approve {change}\n");
        Assert.Equal(0, _gpg.Verify(approval, record).ExitCode);

        var verdict = VerifyHead(Policy(alice, reviews: 1, others: ("bob", bob)));

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Equal("bob", Assert.Single(verdict.Reviews).Maintainer);
    }

    [Fact]
    public void Verify_WhenMergeSignedWithOpenPgp_ReviewsTheMergedCommits()
    {
        var alice = _gpg.Generate("Alice <alice@test.invalid>");
        var bob = _gpg.Generate("Bob <bob@test.invalid>");
        _repo.CommitSignedBy(new GpgSigner(_gpg, alice), "base");
        _repo.Git("checkout", "-q", "-b", "feature");
        var feature = _repo.CommitSignedBy(new GpgSigner(_gpg, alice), "feature work");
        _repo.Git("checkout", "-q", "main");
        var merge = _repo.MergeSignedBy(new GpgSigner(_gpg, bob), "feature", "Merge feature");
        _repo.Approve(merge, new GpgSigner(_gpg, alice));

        var report = SourceGate.Verify(_repo.Path, CommitRange.Parse("HEAD~1..HEAD"), Policy(alice, reviews: 1, others: ("bob", bob)));

        Assert.Equal(CheckStatus.Passed, report.Summary.Status);
        var review = Assert.Single(report.Commits.Single(c => c.CommitId == feature).Reviews);
        Assert.Equal(("bob", "merge"), (review.Maintainer, review.Kind));
    }

    [Theory]
    [InlineData("rsa1024", "at least 2048")]
    public void LoadPolicy_WhenKeyAlgorithmTooWeak_IsRefused(string algorithm, string expected)
    {
        var key = _gpg.Generate("Weak <weak@test.invalid>", algorithm);
        Assert.Contains(expected, Assert.Throws<PolicyException>(() => Policy(key)).Message);
    }

    [Fact]
    public void LoadPolicy_WhenKeyFileHoldsTwoKeys_IsRefused()
    {
        var alice = _gpg.Generate("Alice <alice@test.invalid>");
        var bob = _gpg.Generate("Bob <bob@test.invalid>");
        Policy(alice);
        File.WriteAllText(_policyDirectory.Combine("keys", "alice.asc"), _gpg.ExportPublic(alice) + _gpg.ExportPublic(bob));

        Assert.Contains("exactly one armored public key block", Assert.Throws<PolicyException>(() => PolicyLoader.Load(_policyDirectory.Combine("release.yaml"))).Message);
    }

    [Theory]
    [InlineData("../outside.asc")]
    [InlineData("/etc/passwd")]
    [InlineData("keys/missing.asc")]
    public void LoadPolicy_WhenKeyFilePathInvalidOrMissing_IsRefusedNamingLine(string path)
    {
        var policy = new PolicyBuilder().OpenPgpMaintainer("alice", ["author"], path).WriteTo(_policyDirectory.Combine("release.yaml"));

        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Load(policy));

        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Verify_FromTrustRoot_WhenKeyFileReplacedByNonAdmin_IsAPolicyChangeAndFails()
    {
        var alice = _gpg.Generate("Alice <alice@test.invalid>");
        var mallory = _gpg.Generate("Mallory <mallory@test.invalid>");
        var policy = new PolicyBuilder().OpenPgpMaintainer("alice", ["author", "policy-admin"], "keys/alice.asc").Require("signed").ToYaml();
        Directory.CreateDirectory(Path.Combine(_repo.Path, "policies", "keys"));
        File.WriteAllText(Path.Combine(_repo.Path, "policies", "keys", "alice.asc"), _gpg.ExportPublic(alice));
        _repo.Git("add", "policies/keys/alice.asc");
        var root = _repo.CommitSignedBy(new GpgSigner(_gpg, alice), "adopt", file: "policies/release.yaml", content: policy);
        var swap = _repo.CommitSignedBy(new GpgSigner(_gpg, alice), "swap alice's key file for mallory's", file: "policies/keys/alice.asc", content: _gpg.ExportPublic(mallory));
        _repo.CommitSignedBy(new GpgSigner(_gpg, mallory), "mallory now signs as alice");

        var report = SourceGate.VerifyFromTrustRoot(_repo.Path, CommitRange.Parse($"{root}..HEAD"), root, "policies/release.yaml");

        Assert.Equal(CheckStatus.Passed, report.Commits.Single(c => c.CommitId == swap).Status); // one admin, policy-changes: 1
        var policyTwoAdmins = new PolicyBuilder().OpenPgpMaintainer("alice", ["author", "policy-admin"], "keys/alice.asc").Require("signed").Reviews(0, policyChanges: 2).ToYaml();
        using var repo2 = TestRepository.Create();
        repo2.Environment = _gpg.Environment;
        Directory.CreateDirectory(Path.Combine(repo2.Path, "policies", "keys"));
        File.WriteAllText(Path.Combine(repo2.Path, "policies", "keys", "alice.asc"), _gpg.ExportPublic(alice));
        repo2.Git("add", "policies/keys/alice.asc");
        var root2 = repo2.CommitSignedBy(new GpgSigner(_gpg, alice), "adopt", file: "policies/release.yaml", content: policyTwoAdmins);
        var swap2 = repo2.CommitSignedBy(new GpgSigner(_gpg, alice), "swap", file: "policies/keys/alice.asc", content: _gpg.ExportPublic(mallory));

        var refused = SourceGate.VerifyFromTrustRoot(repo2.Path, CommitRange.Parse($"{root2}..HEAD"), root2, "policies/release.yaml");

        Assert.Equal("policy.change", refused.Commits.Single(c => c.CommitId == swap2).FirstFailure!.Id);
    }

    private BuildTrust.Pipeline.Processes.ProcessResult ExternalProcessWithGpg(string file, params string[] arguments) =>
        BuildTrust.Pipeline.Processes.ExternalProcess.Run(file, arguments, _repo.Path, environment: _gpg.Environment);

    public void Dispose()
    {
        _repo.Dispose();
        _policyDirectory.Dispose();
        _gpg.Dispose();
    }

}
