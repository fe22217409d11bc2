using System.Security.Cryptography;
using System.Text;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.OpenPgp;

/// <summary>
/// Commits signed through opentimestamps-client's <c>ots-git-gpg-wrapper</c>: gpg's signature followed by an
/// OpenTimestamps block in the <c>gpgsig</c> header. Git and gpg accept them; BuildTrust verifies the
/// signature and reports the block as present and not verified. Nothing else may follow the armor.
/// </summary>
public sealed class OpenTimestampsCommitTests : IDisposable
{
    private readonly GpgKeyring _gpg = new();
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _policyDirectory = new("buildtrust-policy-");
    private readonly string _key;

    public OpenTimestampsCommitTests()
    {
        _repo.Environment = _gpg.Environment;
        _key = _gpg.Generate("Alice <alice@test.invalid>");
    }

    private ReleasePolicy Policy()
    {
        File.WriteAllText(_policyDirectory.Combine("alice.asc"), _gpg.ExportPublic(_key));
        return PolicyLoader.Load(new PolicyBuilder().OpenPgpMaintainer("alice", ["author"], "alice.asc").Require("signed").WriteTo(_policyDirectory.Combine("release.yaml")));
    }

    private CommitVerdict VerifyHead() => SourceGate.Verify(_repo.Path, CommitRange.Parse("HEAD"), Policy()).Commits[0];

    private ProcessResult GitVerifyCommit() => ExternalProcess.Run("git", ["verify-commit", "HEAD"], _repo.Path, environment: _gpg.Environment);

    [Fact]
    public void Verify_WhenGpgSignatureIsFollowedByTheWrappersTimestampBlock_Passes_ReportsTheProofUnverified_AndGitAndGpgAccept()
    {
        var wrapper = new OpenTimestampsWrapperSigner(new GpgSigner(_gpg, _key));
        _repo.CommitSignedBy(wrapper, "timestamped");
        var (message, signature) = wrapper.Last!.Value;
        Assert.Contains(OpenTimestampsWrapperSigner.Begin, signature);

        var verdict = VerifyHead();

        Assert.Equal(0, GitVerifyCommit().ExitCode);
        Assert.Equal(0, _gpg.Verify(signature, message).ExitCode);
        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Equal(SignatureChecker.OpenTimestampsEvidence, verdict.Checks.Single(c => c.Id == "signature.format").Evidence);
        Assert.Equal(SignatureChecker.OpenTimestampsEvidence, verdict.Checks.Single(c => c.Id == "signature.valid").Evidence);
    }

    [Fact]
    public void Verify_WhenCommitChangedUnderTheTimestampedSignature_Fails()
    {
        _repo.CommitSignedBy(new OpenTimestampsWrapperSigner(new GpgSigner(_gpg, _key)), "harmless",
            tamper: raw => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(raw).Replace("harmless", "evil!!!!", StringComparison.Ordinal)));

        Assert.NotEqual(0, GitVerifyCommit().ExitCode);
        Assert.Contains("does not verify", VerifyHead().FirstFailure!.Actual);
    }

    public static TheoryData<string, string> MalformedTrailers => new()
    {
        { "garbage after the armor", "garbage\n" },
        { "a second PGP signature block", "-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n" },
        { "a timestamp block with bad base64", OpenTimestampsWrapperSigner.Begin + "\n\nAQ!!not*base64\n" + OpenTimestampsWrapperSigner.End + "\n" },
        { "a timestamp block followed by a stray line", OpenTimestampsWrapperSigner.Block() + "ciao\n" },
        { "two timestamp blocks", OpenTimestampsWrapperSigner.Block() + OpenTimestampsWrapperSigner.Block() },
        { "a timestamp block without its empty line", OpenTimestampsWrapperSigner.Block().Replace("-----\n\n", "-----\n", StringComparison.Ordinal) },
        { "a timestamp block without its END line", OpenTimestampsWrapperSigner.Block().Replace(OpenTimestampsWrapperSigner.End, "", StringComparison.Ordinal) },
        { "a timestamp block of major version 2", OpenTimestampsWrapperSigner.Begin + "\n\n" + Convert.ToBase64String([0x02, 0x01, 0x00, 0x01]) + "\n" + OpenTimestampsWrapperSigner.End + "\n" },
        { "a timestamp block with a short line before the last", Rewrap(OpenTimestampsWrapperSigner.Block(), 60) },
        { "a timestamp block with spaces in its base64", OpenTimestampsWrapperSigner.Block().Replace("\n\n", "\n\n  ", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(MalformedTrailers))]
    public void Verify_WhenAnythingButTheWrappersBlockFollowsTheArmor_IsMalformed(string what, string trailer)
    {
        _repo.CommitSignedBy(new OpenTimestampsWrapperSigner(new GpgSigner(_gpg, _key), _ => trailer), what);

        var verdict = VerifyHead();

        Assert.Equal(CheckStatus.Malformed, verdict.Status);
        Assert.Equal("signature.format", verdict.FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenOneCommitOfTheRangeHasAMalformedSignature_OnlyThatCommitFails()
    {
        var first = _repo.CommitSignedBy(new GpgSigner(_gpg, _key), "first");
        var malformed = _repo.CommitSignedBy(new OpenTimestampsWrapperSigner(new GpgSigner(_gpg, _key), block => block + "garbage\n"), "malformed");
        var last = _repo.CommitSignedBy(new OpenTimestampsWrapperSigner(new GpgSigner(_gpg, _key)), "last");

        var report = SourceGate.Verify(_repo.Path, CommitRange.Parse("HEAD"), Policy());

        Assert.Equal(3, report.Commits.Count);
        Assert.Equal(CheckStatus.Passed, report.Commits.Single(c => c.CommitId == first).Status);
        Assert.Equal(CheckStatus.Malformed, report.Commits.Single(c => c.CommitId == malformed).Status);
        Assert.Equal(CheckStatus.Passed, report.Commits.Single(c => c.CommitId == last).Status);
    }

    [Fact]
    public void Check_WhenTheTimestampedSignatureIsMutated_ReturnsACheckResultForEveryMutation()
    {
        var wrapper = new OpenTimestampsWrapperSigner(new GpgSigner(_gpg, _key));
        var message = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nmutated\n"u8.ToArray();
        var signature = wrapper.Sign(message, "git");
        var policy = Policy();
        var random = new Random(15);
        for (var i = 0; i < 3000; i++)
        {
            var chars = signature.ToCharArray();
            for (var flips = random.Next(1, 4); flips > 0; flips--) chars[random.Next(chars.Length)] = (char)random.Next(0, 0x80);

            var outcome = SignatureChecker.Check(policy, new string(chars), message, "git");

            Assert.NotEmpty(outcome.Checks);
            Assert.True(outcome.Verified || outcome.Failure is not null);
        }
    }

    [Theory]
    [InlineData("48034652a83bb2119777bac5d84d24552454ab1f", 0)]
    [InlineData("cd71c7609421bed2a07b9642a3c02a58c9fd2cdf", 1)]
    public void Parse_RealCommitsOfTheOpenTimestampsClient_AcceptTheirTimestampBlock(string commit, int minorVersion)
    {
        var record = RealCommit(commit);
        var armored = record.Signature!;
        var block = armored[(armored.IndexOf(OpenTimestampsBlock.Begin, StringComparison.Ordinal) + OpenTimestampsBlock.Begin.Length + 2)..];
        Assert.Equal(minorVersion, Convert.FromBase64String(block[..4])[1]);

        var signature = OpenPgpSignature.Parse(armored);
        var outcome = SignatureChecker.Check(Policy(), armored, record.SignedPayload, "git");

        Assert.True(signature.HasOpenTimestampsProof);
        Assert.Equal(SignatureChecker.OpenTimestampsEvidence, outcome.Checks[0].Evidence);
        Assert.Equal("signer.known", outcome.Failure!.Id); // the signer's key is not available here: the format is what is pinned
    }

    [Fact]
    public void Parse_RealCommitWithAStrayLineAfterItsTimestampBlock_IsMalformed()
    {
        var record = RealCommit("afa0640501f5bf26a9a4c0eb86b14acf57c21cd7");

        var outcome = SignatureChecker.Check(Policy(), record.Signature!, record.SignedPayload, "git");

        Assert.EndsWith("ciao", record.Signature!.TrimEnd('\n'));
        Assert.Equal(CheckStatus.Malformed, outcome.Failure!.Status);
        Assert.Contains("nothing may follow it", outcome.Failure.Actual);
    }

    /// <summary>A raw commit object from the fixtures, checked to hash to its git id.</summary>
    private static CommitRecord RealCommit(string id)
    {
        var raw = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "OpenPgp", "Fixtures", id + ".commit"));
        var hashed = SHA1.HashData([.. Encoding.ASCII.GetBytes($"commit {raw.Length}\0"), .. raw]);
        Assert.Equal(id, Convert.ToHexStringLower(hashed));
        return GitCommitObject.Parse(id, raw);
    }

    private static string Rewrap(string block, int width)
    {
        var lines = block.Split('\n');
        var encoded = string.Concat(lines[2..^2]);
        var body = string.Join('\n', Enumerable.Range(0, (encoded.Length + width - 1) / width).Select(i => encoded.Substring(i * width, Math.Min(width, encoded.Length - i * width))));
        return $"{lines[0]}\n\n{body}\n{lines[^2]}\n";
    }

    public void Dispose()
    {
        _repo.Dispose();
        _policyDirectory.Dispose();
        _gpg.Dispose();
    }
}
