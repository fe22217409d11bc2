using System.Text;
using BuildTrust.Testing.Git;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Commits;

public sealed class SourceGateTests : IDisposable
{
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _keys = new("buildtrust-keys-");
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice@test-authenticator");
    private readonly SoftwareFidoAuthenticator _bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "bob@test-authenticator");

    private ReleasePolicy Policy(Action<PolicyBuilder>? configure = null, string require = "hardware")
    {
        var builder = new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer"], _alice.PublicKeyLine)
            .Maintainer("bob", ["author"], _bob.PublicKeyLine)
            .Require(require);
        configure?.Invoke(builder);
        return PolicyLoader.Parse(Encoding.UTF8.GetBytes(builder.ToYaml()), "policy.yaml");
    }

    private SourceGateReport Verify(ReleasePolicy policy, string range = "HEAD") =>
        SourceGate.Verify(_repo.Path, CommitRange.Parse(range), policy);

    private CommitVerdict VerifyHead(ReleasePolicy policy) => Verify(policy, "HEAD~1..HEAD").Commits.Single();

    private void Base() => _repo.CommitSignedBy(_alice, "base");

    [Theory]
    [InlineData(5)]
    [InlineData(40)]
    public void A_cancellation_after_every_verdict_was_made_still_stops_the_run_before_its_end(int commits)
    {
        for (var i = 0; i < commits; i++) _repo.CommitSignedBy(_alice, $"change {i}");
        using var cancellation = new CancellationTokenSource();
        using var verdicts = SourceGate.Start(_repo.Path, CommitRange.Parse("HEAD"), Policy()).Verdicts(cancellation.Token).GetEnumerator();

        Assert.True(verdicts.MoveNext());
        // Long enough for the parallel verification to make every verdict (as while the report waits on a full pipe).
        Thread.Sleep(500);
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => { while (verdicts.MoveNext()) { } });
    }

    [Fact]
    public void Verify_WhenEveryCommitTouchedSecurityKeySigned_PassesAndReportsEvidence_AndGitAgrees()
    {
        var first = _repo.CommitSignedBy(_alice, "first");
        var second = _repo.CommitSignedBy(_bob, "second");

        var report = Verify(Policy());

        Assert.Equal(CheckStatus.Passed, report.Summary.Status);
        Assert.Equal([second, first], report.Commits.Select(c => c.CommitId));
        var bob = report.Commits[0];
        Assert.Equal("bob", bob.Signer);
        Assert.Equal("sk-ecdsa-sha2-nistp256@openssh.com", bob.KeyType);
        Assert.StartsWith("SHA256:", bob.KeyFingerprint);
        Assert.Contains("user present", bob.HardwareEvidence);
        Assert.All(report.Commits, c => Assert.All(c.Checks, check => Assert.True(check.Passed)));
        Assert.Equal(0, ReferenceVerifiers.GitVerifyCommit(_repo.Path, first, _alice.PublicKeyLine).ExitCode);
        Assert.Equal(0, ReferenceVerifiers.GitVerifyCommit(_repo.Path, second, _bob.PublicKeyLine).ExitCode);
    }

    [Theory]
    [InlineData("ed25519", null)]
    [InlineData("ecdsa", 256)]
    [InlineData("rsa", 3072)]
    public void Verify_WhenGitSignedWithSoftwareKey_PassesSignedButFailsHardware(string type, int? bits)
    {
        var key = SshKeygenKey.Generate(_keys.Path, type, bits);
        var id = _repo.CommitWithGit("software-signed", key);
        Assert.Equal(0, ReferenceVerifiers.GitVerifyCommit(_repo.Path, id, key.PublicKeyLine).ExitCode);
        void AddCarol(PolicyBuilder b) => b.Maintainer("carol", ["author"], key.PublicKeyLine);

        var signed = Verify(Policy(AddCarol, "signed"));
        var hardware = Verify(Policy(AddCarol, "hardware"));

        Assert.Equal(CheckStatus.Passed, signed.Summary.Status);
        Assert.Equal("carol", signed.Commits[0].Signer);
        var failure = hardware.Commits[0].FirstFailure;
        Assert.NotNull(failure);
        Assert.Equal("hardware", failure.Id);
        Assert.Contains("no hardware evidence", failure.Actual);
    }

    [Fact]
    public void Verify_WhenCommitUnsigned_FailsNamingTheCommit()
    {
        Base();
        var id = _repo.CommitSignedBy(null, "unsigned");

        var report = Verify(Policy());

        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
        var verdict = report.Commits.Single(c => c.Status != CheckStatus.Passed);
        Assert.Equal(id, verdict.CommitId);
        Assert.Equal("signature.present", verdict.FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenSignedByUnknownKey_Fails()
    {
        using var mallory = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "mallory");
        Base();
        _repo.CommitSignedBy(mallory, "from outside");

        var verdict = VerifyHead(Policy());

        Assert.Equal("signer.known", verdict.FirstFailure!.Id);
        Assert.Contains("unknown key", verdict.FirstFailure.Actual);
        Assert.Null(verdict.Signer);
    }

    [Fact]
    public void Verify_WhenSignatureCopiedOntoChangedCommit_Fails()
    {
        Base();
        _repo.CommitSignedBy(_alice, "harmless change", tamper: raw => Replace(raw, "harmless change", "evil change!!!!"));

        var verdict = VerifyHead(Policy());

        Assert.Equal("signature.valid", verdict.FirstFailure!.Id);
        Assert.Contains("does not verify", verdict.FirstFailure.Actual);
    }

    [Fact]
    public void Verify_WhenInvalidUtf8SwappedForReplacementCharacter_Fails()
    {
        // Signed message holds U+FFFD (EF BF BD); the forged object holds the invalid byte FF instead. A verifier
        // that decodes the object as UTF-8 before checking would see the same text and accept the forgery.
        Base();
        _repo.CommitSignedBy(_alice, "message \uFFFD here", tamper: raw => Replace(raw, [0xEF, 0xBF, 0xBD], [0xFF]));

        Assert.Equal("signature.valid", VerifyHead(Policy()).FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenBytesAppendedAfterNul_Fails()
    {
        Base();
        _repo.CommitSignedBy(_alice, "message", tamper: raw => [.. raw, 0, .. "hidden payload\n"u8]);

        Assert.Equal("signature.valid", VerifyHead(Policy()).FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenNamespaceIsNotGit_Fails()
    {
        Base();
        _repo.CommitSignedBy(_alice, "file namespace", @namespace: "file");

        Assert.Contains("namespace is 'file'", VerifyHead(Policy()).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSecurityKeyNotTouched_Fails_ThoughGitVerifyCommitAccepts()
    {
        Base();
        _alice.DefaultFlags = 0;
        var id = _repo.CommitSignedBy(_alice, "no touch");

        var verdict = VerifyHead(Policy());

        Assert.Equal("hardware", verdict.FirstFailure!.Id);
        Assert.Contains("without user presence", verdict.FirstFailure.Actual);
        Assert.Equal(0, ReferenceVerifiers.GitVerifyCommit(_repo.Path, id, _alice.PublicKeyLine).ExitCode);
    }

    [Fact]
    public void Verify_WhenUserVerificationRequired_PassesOnlyWithFlag()
    {
        Base();
        _alice.DefaultFlags = SoftwareFidoAuthenticator.UserPresent;
        _repo.CommitSignedBy(_alice, "touched, no PIN");
        var policy = Policy(b => b.UserVerification());

        Assert.Contains("without user verification", VerifyHead(policy).FirstFailure!.Actual);

        _alice.DefaultFlags = SoftwareFidoAuthenticator.UserPresent | SoftwareFidoAuthenticator.UserVerified;
        _repo.CommitSignedBy(_alice, "touched with PIN");
        Assert.Equal(CheckStatus.Passed, VerifyHead(policy).Status);
    }

    [Fact]
    public void Verify_WhenRsaSha1Signature_Fails()
    {
        using var rsa = InProcessSshKey.RsaKey();
        Base();
        _repo.CommitSignedBy(new FixedAlgorithmSigner(rsa, "sha512", "ssh-rsa"), "sha1");

        var verdict = VerifyHead(Policy(b => b.Maintainer("rsa", ["author"], rsa.PublicKeyLine), "signed"));

        Assert.Contains("SHA-1", verdict.FirstFailure!.Actual);
    }

    [Theory]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nAAAA!!!!\n-----END SSH SIGNATURE-----")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1\n-----END SSH SIGNATURE-----")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----")]
    public void Verify_WhenSignatureBlobGarbageOrTruncated_IsMalformedNamingCommit(string armored)
    {
        Base();
        var id = _repo.CommitSignedBy(new ConstantSigner(armored), "garbage");

        var report = Verify(Policy());

        Assert.Equal(CheckStatus.Malformed, report.Summary.Status);
        var verdict = report.Commits.Single(c => c.CommitId == id);
        Assert.Equal(CheckStatus.Malformed, verdict.Status);
        Assert.Contains("malformed", verdict.FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSignatureIsX509_FailsAsUnsupportedFormat()
    {
        Base();
        _repo.CommitSignedBy(new ConstantSigner("-----BEGIN SIGNED MESSAGE-----\nMIAG\n-----END SIGNED MESSAGE-----\n"), "x509");

        Assert.Contains("unsupported signature format: X.509/CMS", VerifyHead(Policy()).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenOpenPgpSignatureTruncated_IsMalformed()
    {
        Base();
        _repo.CommitSignedBy(new ConstantSigner("-----BEGIN PGP SIGNATURE-----\n\niQ==\n-----END PGP SIGNATURE-----\n"), "pgp");

        Assert.Equal(CheckStatus.Malformed, VerifyHead(Policy()).Status);
    }

    [Fact]
    public void Verify_WhenSignatureKeyTypeDiffersFromKey_Fails()
    {
        using var plain = InProcessSshKey.Ed25519Key();
        Base();
        var signer = new ForeignBlobSigner(_alice.PublicKeyBlob, plain);
        _repo.CommitSignedBy(signer, "type confusion");

        Assert.Contains("does not match the key type", VerifyHead(Policy()).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenKeyExpiredBeforeCommitDate_Fails()
    {
        Base();
        _repo.CommitSignedBy(_bob, "late", when: new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(new PolicyBuilder()
            .Maintainer("alice", ["author"], _alice.PublicKeyLine)
            .Maintainer("bob", ["author"], null, (_bob.PublicKeyLine, new DateOnly(2026, 12, 31)))
            .ToYaml()), "policy.yaml");

        var verdict = VerifyHead(policy);

        Assert.Equal("signer.validity", verdict.FirstFailure!.Id);
        Assert.Contains("expired on 2026-12-31", verdict.FirstFailure.Actual);
    }

    [Fact]
    public void Verify_WhenSignerIsNotAnAuthor_Fails()
    {
        Base();
        _repo.CommitSignedBy(_alice, "by a reviewer-only maintainer");
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(new PolicyBuilder()
            .Maintainer("alice", ["reviewer"], _alice.PublicKeyLine)
            .ToYaml()), "policy.yaml");

        Assert.Equal("signer.role", VerifyHead(policy).FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenTwoSignatureHeaders_IsMalformed()
    {
        Base();
        _repo.CommitSignedBy(_alice, "double", tamper: raw =>
        {
            var header = Encoding.ASCII.GetBytes("gpgsig -----BEGIN SSH SIGNATURE-----\n -----END SSH SIGNATURE-----\n");
            var end = raw.AsSpan().IndexOf("\n\n"u8);
            return [.. raw.AsSpan(0, end + 1), .. header, .. raw.AsSpan(end + 1)];
        });

        var verdict = VerifyHead(Policy());

        Assert.Equal(CheckStatus.Malformed, verdict.Status);
        Assert.Contains("more than one gpgsig", verdict.FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenRangeExcludesOlderUnsignedCommit_Passes()
    {
        _repo.CommitSignedBy(null, "history before adoption");
        var adoption = _repo.CommitSignedBy(_alice, "adopt BuildTrust");
        _repo.CommitSignedBy(_bob, "release work");

        var report = Verify(Policy(), $"{adoption}..HEAD");

        Assert.Equal(CheckStatus.Passed, report.Summary.Status);
        Assert.Single(report.Commits);
        Assert.Equal(CheckStatus.Failed, Verify(Policy(), "HEAD").Summary.Status);
    }

    [Theory]
    [InlineData("no-such-branch")]
    [InlineData("HEAD..no-such-branch")]
    [InlineData("0000000000000000000000000000000000000000")]
    public void Verify_WhenRevisionUnknown_ThrowsNamingIt(string range)
    {
        Base();
        var error = Assert.Throws<CommitRangeException>(() => Verify(Policy(), range));
        Assert.Contains("unknown revision", error.Message);
    }

    [Fact]
    public void Verify_WhenRangeEmpty_Throws()
    {
        Base();
        Assert.Contains("selects no commits", Assert.Throws<CommitRangeException>(() => Verify(Policy(), "HEAD..HEAD")).Message);
    }

    private static byte[] Replace(byte[] raw, string from, string to) => Replace(raw, Encoding.UTF8.GetBytes(from), Encoding.UTF8.GetBytes(to));

    private static byte[] Replace(byte[] raw, byte[] from, byte[] to)
    {
        var index = raw.AsSpan().LastIndexOf(from);
        Assert.True(index >= 0);
        return [.. raw.AsSpan(0, index), .. to, .. raw.AsSpan(index + from.Length)];
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _repo.Dispose();
        _keys.Dispose();
    }


    private sealed class FixedAlgorithmSigner(InProcessSshKey key, string hash, string algorithm) : ISigner
    {
        public string PublicKeyLine => key.PublicKeyLine;

        public string Sign(byte[] message, string @namespace) => key.Sign(message, @namespace, hash, algorithm);
    }

    /// <summary>Signs with one key but names another key's blob in the signature.</summary>
    private sealed class ForeignBlobSigner(byte[] claimedKeyBlob, InProcessSshKey key) : ISigner
    {
        public string PublicKeyLine => "";

        public string Sign(byte[] message, string @namespace)
        {
            var genuine = key.Sign(message, @namespace);
            var binary = Convert.FromBase64String(string.Concat(genuine.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
            var offset = 10;
            for (var field = 0; field < 4; field++) offset += 4 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(binary.AsSpan(offset));
            var blob = binary.AsSpan(offset + 4).ToArray();
            return SshSignatureWriter.Armored(claimedKeyBlob, @namespace, "sha512", blob);
        }
    }
}
