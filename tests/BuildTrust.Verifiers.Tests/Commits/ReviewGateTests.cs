using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Git;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Commits;

/// <summary>Reviews and the authenticated policy: every case runs from a trust root on a real repository with real git notes.</summary>
public sealed class ReviewGateTests : IDisposable
{
    private const string PolicyPath = "policies/release.yaml";
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
    private readonly SoftwareFidoAuthenticator _aliceSpare = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "alice-spare");
    private readonly SoftwareFidoAuthenticator _bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "bob");
    private readonly SoftwareFidoAuthenticator _carol = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "carol");
    private readonly string _root;

    public ReviewGateTests()
    {
        _root = _repo.CommitSignedBy(_alice, "Adopt BuildTrust", file: PolicyPath, content: Policy().ToYaml());
    }

    /// <summary>alice and bob: authors, reviewers, admins; carol: author and reviewer. One review, two admins per policy change.</summary>
    private PolicyBuilder Policy(bool withCarol = true, int reviews = 1)
    {
        var builder = new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer", "policy-admin"], _alice.PublicKeyLine, _aliceSpare.PublicKeyLine)
            .Maintainer("bob", ["author", "reviewer", "policy-admin"], _bob.PublicKeyLine)
            .Reviews(reviews, policyChanges: 2);
        return withCarol ? builder.Maintainer("carol", ["author", "reviewer"], _carol.PublicKeyLine) : builder;
    }

    private SourceGateReport Verify(string range = "HEAD") => SourceGate.VerifyFromTrustRoot(_repo.Path, CommitRange.Parse(range), _root, PolicyPath);

    private CommitVerdict Verdict(string id) => Verify($"{_root}..HEAD").Commits.Single(c => c.CommitId == id);

    [Fact]
    public void Verify_WhenCommitApprovedByAnotherReviewer_Passes_AndOpenSshAcceptsTheApproval()
    {
        var change = _repo.CommitSignedBy(_bob, "feature");
        var approval = _repo.Approve(change, _alice);

        var verdict = Verdict(change);

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        var review = Assert.Single(verdict.Reviews);
        Assert.Equal(("alice", "note", true), (review.Maintainer, review.Kind, review.Counted));
        Assert.Equal(_root, verdict.PolicyVersion);
        var record = System.Text.Encoding.ASCII.GetBytes($"buildtrust-review v1 approve {change}\n");
        Assert.Equal(0, ReferenceVerifiers.SshKeygenVerify(_alice.PublicKeyLine, "buildtrust-review", approval, record).ExitCode);
    }

    [Fact]
    public void Verify_FromTrustRoot_ListsTheRangeInGitLogOrder_EvenWhenAChildIsDatedBeforeItsParent()
    {
        var start = DateTimeOffset.UtcNow.AddHours(1);
        _repo.CommitSignedBy(_bob, "first", when: start);
        _repo.CommitSignedBy(_carol, "second, clock behind", when: start.AddMinutes(-30));
        _repo.CommitSignedBy(_alice, "third", when: start.AddMinutes(10));

        var report = Verify($"{_root}..HEAD");

        Assert.Equal(_repo.Git("rev-list", $"{_root}..HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries), report.Commits.Select(c => c.CommitId));
    }

    [Fact]
    public void Verify_WhenApprovalMadeWithSshKeygen_IsCounted()
    {
        using var keys = new TemporaryDirectory();
        var dave = SshKeygenKey.Generate(keys.Path, "ed25519", comment: "dave");
        var policy = Policy().Maintainer("dave", ["reviewer", "policy-admin"], dave.PublicKeyLine).Require("signed");
        var change = _repo.CommitSignedBy(_alice, "signed policy, dave joins", file: PolicyPath, content: policy.ToYaml());
        _repo.Approve(change, _bob);
        var feature = _repo.CommitSignedBy(_carol, "feature");
        _repo.Approve(feature, dave);

        var verdict = Verdict(feature);

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Equal("dave", Assert.Single(verdict.Reviews).Maintainer);
        Assert.Equal(change, verdict.PolicyVersion);
    }

    [Fact]
    public void Verify_WhenUnreviewed_FailsNamingReason()
    {
        var change = _repo.CommitSignedBy(_bob, "feature");

        var failure = Verdict(change).FirstFailure!;

        Assert.Equal("reviews", failure.Id);
        Assert.Contains("no approval note and no covering merge", failure.Actual);
    }

    [Fact]
    public void Verify_WhenSelfApproved_Fails()
    {
        var change = _repo.CommitSignedBy(_bob, "feature");
        _repo.Approve(change, _bob);

        Assert.Contains("self-approval", Verdict(change).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenSameMaintainerApprovesWithSecondKey_CountsOnce()
    {
        var root2 = _repo.CommitSignedBy(_alice, "two reviews from now on", file: PolicyPath, content: Policy(reviews: 2).ToYaml());
        _repo.Approve(root2, _bob);
        _repo.Approve(root2, _carol);
        var change = _repo.CommitSignedBy(_carol, "feature");
        _repo.Approve(change, _alice);
        _repo.Approve(change, _aliceSpare);

        var verdict = Verdict(change);

        Assert.Equal("reviews", verdict.FirstFailure!.Id);
        Assert.Contains("already counted", verdict.FirstFailure.Actual);
        _repo.Approve(change, _bob);
        Assert.Equal(CheckStatus.Passed, Verdict(change).Status);
    }

    [Fact]
    public void Verify_WhenApprovalReplayedFromAnotherCommit_Fails()
    {
        var first = _repo.CommitSignedBy(_bob, "first");
        var approval = _repo.Approve(first, _alice);
        var second = _repo.CommitSignedBy(_bob, "second");
        _repo.AppendNote(second, approval);

        Assert.Equal(CheckStatus.Passed, Verdict(first).Status);
        Assert.Contains("does not verify", Verdict(second).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenApprovalUsesGitNamespace_Fails()
    {
        var change = _repo.CommitSignedBy(_bob, "feature");
        _repo.Approve(change, _alice, @namespace: "git");

        Assert.Contains("namespace is 'git'", Verdict(change).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenApprovedByKeyRemovedEarlier_Fails()
    {
        var removal = _repo.CommitSignedBy(_alice, "carol leaves", file: PolicyPath, content: Policy(withCarol: false).ToYaml());
        _repo.Approve(removal, _bob);
        var change = _repo.CommitSignedBy(_bob, "after removal");
        _repo.Approve(change, _carol);

        Assert.Equal(CheckStatus.Passed, Verdict(removal).Status);
        Assert.Contains("not in the policy in force", Verdict(change).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenMergeSignedByAnotherReviewer_ReviewsTheMergedCommits()
    {
        _repo.Git("checkout", "-q", "-b", "feature");
        var feature = _repo.CommitSignedBy(_bob, "feature work");
        _repo.Git("checkout", "-q", "main");
        var merge = _repo.MergeSignedBy(_alice, "feature", "Merge feature");
        _repo.Approve(merge, _carol);

        var report = Verify($"{_root}..HEAD");

        Assert.Equal(CheckStatus.Passed, report.Summary.Status);
        var review = Assert.Single(report.Commits.Single(c => c.CommitId == feature).Reviews);
        Assert.Equal(("alice", "merge", merge), (review.Maintainer, review.Kind, review.Source));
    }

    [Fact]
    public void Verify_WhenRemovedMaintainerMergesABranchForkedBeforeTheRemoval_TheMergeFails()
    {
        var fork = _repo.Head;
        var removal = _repo.CommitSignedBy(_alice, "carol leaves", file: PolicyPath, content: Policy(withCarol: false).ToYaml());
        _repo.Approve(removal, _bob);
        _repo.Git("checkout", "-q", "-b", "old-branch", fork);
        var sideCommit = _repo.CommitSignedBy(_carol, "carol's work on a branch from before her removal");
        _repo.Approve(sideCommit, _alice);
        _repo.Git("checkout", "-q", "main");
        var merge = _repo.MergeSignedBy(_carol, "old-branch", "carol merges it herself");
        _repo.Approve(merge, _alice);

        var report = Verify($"{_root}..HEAD");

        var mergeVerdict = report.Commits.Single(c => c.CommitId == merge);
        Assert.Equal("signer.known", mergeVerdict.FirstFailure!.Id); // judged by the policy at its first parent too
        Assert.Equal(CheckStatus.Passed, report.Commits.Single(c => c.CommitId == sideCommit).Status); // authorised where it was made
        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
    }

    [Fact]
    public void Verify_WhenCurrentMaintainerMergesABranchForkedBeforeARemoval_Passes()
    {
        var fork = _repo.Head;
        var removal = _repo.CommitSignedBy(_alice, "carol leaves", file: PolicyPath, content: Policy(withCarol: false).ToYaml());
        _repo.Approve(removal, _bob);
        _repo.Git("checkout", "-q", "-b", "old-branch", fork);
        var sideCommit = _repo.CommitSignedBy(_carol, "carol's work from before her removal");
        _repo.Git("checkout", "-q", "main");
        var merge = _repo.MergeSignedBy(_alice, "old-branch", "alice reviews and merges it");
        _repo.Approve(merge, _bob);

        var report = Verify($"{_root}..HEAD");

        Assert.Equal(CheckStatus.Passed, report.Summary.Status);
        var review = Assert.Single(report.Commits.Single(c => c.CommitId == sideCommit).Reviews);
        Assert.Equal(("alice", "merge", merge), (review.Maintainer, review.Kind, review.Source));
    }

    [Fact]
    public void Verify_WhenMergeSignedByTheAuthorOfMergedCommits_DoesNotCount()
    {
        _repo.Git("checkout", "-q", "-b", "feature");
        var feature = _repo.CommitSignedBy(_bob, "feature work");
        _repo.Git("checkout", "-q", "main");
        var merge = _repo.MergeSignedBy(_bob, "feature", "Merge my own feature");
        _repo.Approve(merge, _carol);

        var failure = Verdict(feature).FirstFailure!;

        Assert.Equal("reviews", failure.Id);
        Assert.Contains("self-approval", failure.Actual);
    }

    [Fact]
    public void Verify_WhenPolicyChangedByNonAdmin_Fails()
    {
        var change = _repo.CommitSignedBy(_carol, "carol edits the policy", file: PolicyPath, content: Policy(reviews: 0).ToYaml());
        _repo.Approve(change, _alice);

        var failure = Verdict(change).FirstFailure!;

        Assert.Equal("policy.change", failure.Id);
        Assert.Contains("only 1 of 2", failure.Actual);
    }

    [Fact]
    public void Verify_WhenPolicyChangeHasFewerAdminApprovalsThanRequired_Fails_AndPassesWithEnough()
    {
        var change = _repo.CommitSignedBy(_alice, "alice edits the policy", file: PolicyPath, content: Policy(reviews: 0).ToYaml());
        _repo.Approve(change, _carol);

        Assert.Contains("only 1 of 2", Verdict(change).FirstFailure!.Actual);

        _repo.Approve(change, _bob);
        Assert.Equal(CheckStatus.Passed, Verdict(change).Status);
    }

    [Fact]
    public void Verify_WhenCommitAddsItsOwnSigner_Fails()
    {
        using var mallory = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "mallory");
        var policy = Policy().Maintainer("mallory", ["author", "reviewer", "policy-admin"], mallory.PublicKeyLine);
        var change = _repo.CommitSignedBy(mallory, "mallory adds herself", file: PolicyPath, content: policy.ToYaml());
        _repo.Approve(change, mallory);

        Assert.Equal("signer.known", Verdict(change).FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenUnapprovedPolicyChangeIsBeforeTheRange_StillFails()
    {
        var change = _repo.CommitSignedBy(_alice, "quiet policy change", file: PolicyPath, content: Policy(reviews: 0).ToYaml());
        var later = _repo.CommitSignedBy(_alice, "unreviewed, allowed by the quiet change");

        var report = Verify($"{change}..HEAD");

        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
        var history = report.Commits.Single(c => c.CommitId == change);
        Assert.Equal("policy-history", history.Context);
        Assert.Equal("reviews", history.FirstFailure!.Id);
        Assert.Equal(CheckStatus.Passed, report.Commits.Single(c => c.CommitId == later).Status);
    }

    [Fact]
    public void Verify_WhenReviewerKeyExpired_DoesNotCount()
    {
        var policy = new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer", "policy-admin"], _alice.PublicKeyLine)
            .Maintainer("bob", ["author", "reviewer", "policy-admin"], null, (_bob.PublicKeyLine, new DateOnly(2020, 1, 1)))
            .Maintainer("carol", ["author", "reviewer", "policy-admin"], _carol.PublicKeyLine)
            .Reviews(1, policyChanges: 2);
        var change = _repo.CommitSignedBy(_alice, "bob's key expires", file: PolicyPath, content: policy.ToYaml());
        _repo.Approve(change, _bob);
        _repo.Approve(change, _carol);
        var feature = _repo.CommitSignedBy(_carol, "feature");
        _repo.Approve(feature, _bob);

        Assert.Contains("expired on 2020-01-01", Verdict(feature).FirstFailure!.Actual);
    }

    [Theory]
    [InlineData("this is not a signature")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nAAAA\n")]
    [InlineData("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----")]
    public void Verify_WhenNoteMalformed_IsMalformed(string note)
    {
        var change = _repo.CommitSignedBy(_bob, "feature");
        _repo.AppendNote(change, note);

        var verdict = Verdict(change);

        Assert.Equal(CheckStatus.Malformed, verdict.Status);
        Assert.Equal("reviews.note", verdict.FirstFailure!.Id);
    }

    [Fact]
    public void Verify_WhenNotesUseGitFanOut_FindsTheApproval()
    {
        var change = _repo.CommitSignedBy(_bob, "feature");
        var approval = _alice.Sign(System.Text.Encoding.ASCII.GetBytes($"buildtrust-review v1 approve {change}\n"), "buildtrust-review");
        var blob = ExternalProcess.Run("git", ["hash-object", "-w", "--stdin"], _repo.Path, System.Text.Encoding.ASCII.GetBytes(approval)).ThrowOnFailure().StandardOutput.Trim();
        var inner = MakeTree($"100644 blob {blob}\t{change[2..]}\n");
        var outer = MakeTree($"040000 tree {inner}\t{change[..2]}\n");
        var notes = _repo.Git("commit-tree", outer, "-m", "notes with fan-out");
        _repo.Git("update-ref", TestRepository.ReviewNotesRef, notes);

        Assert.Equal(CheckStatus.Passed, Verdict(change).Status);
        Assert.Contains("BEGIN SSH SIGNATURE", _repo.Git("notes", $"--ref={TestRepository.ReviewNotesRef}", "show", change));
    }

    [Fact]
    public void Verify_WhenNoteIsHuge_IsMalformed()
    {
        var change = _repo.CommitSignedBy(_bob, "feature");
        _repo.AppendNote(change, new string('A', 300 * 1024));

        Assert.Contains("larger than", Verdict(change).FirstFailure!.Actual);
    }

    private string MakeTree(string entries) =>
        ExternalProcess.Run("git", ["mktree"], _repo.Path, System.Text.Encoding.ASCII.GetBytes(entries)).ThrowOnFailure().StandardOutput.Trim();

    [Fact]
    public void Verify_WhenRangeStartsBeforeTrustRoot_Fails()
    {
        using var repo = TestRepository.Create();
        var before = repo.CommitSignedBy(_alice, "before adoption");
        var root = repo.CommitSignedBy(_alice, "Adopt BuildTrust", file: PolicyPath, content: Policy().ToYaml());

        var report = SourceGate.VerifyFromTrustRoot(repo.Path, CommitRange.Parse("HEAD"), root, PolicyPath);

        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
        Assert.Equal("trust-root", report.Commits.Single(c => c.CommitId == before).FirstFailure!.Id);
        Assert.Equal("trust-root", report.Commits.Single(c => c.CommitId == root).Context);
    }

    [Fact]
    public void Verify_WhenTipPolicyExemptsCommit_PassesLoudly()
    {
        var unsigned = _repo.CommitSignedBy(null, "pushed by mistake");
        var exemption = _repo.CommitSignedBy(_alice, "exempt the mistake", file: PolicyPath, content: Policy().Exempt(unsigned, "pushed unsigned by the old bot").ToYaml());
        _repo.Approve(exemption, _bob);

        var verdict = Verdict(unsigned);

        Assert.Equal(CheckStatus.Passed, verdict.Status);
        Assert.Equal("pushed unsigned by the old bot", verdict.Exemption);
    }

    [Fact]
    public void Verify_WhenAnExemptedCommitWouldAuthoriseItsOwnPolicyChange_BothAreJudgedAndFail()
    {
        // The attack: unsigned X makes mallory an admin and plants a payload; Y, signed by mallory, exempts X.
        // Judged by the policy at X (mallory an admin), Y's policy change looked approved, and X was exempt.
        using var mallory = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "mallory");
        PolicyBuilder WithMallory() => Policy().Maintainer("mallory", ["author", "reviewer", "policy-admin"], mallory.PublicKeyLine);
        var planted = _repo.CommitSignedBy(null, "add mallory, plant payload", file: PolicyPath, content: WithMallory().Reviews(0, policyChanges: 1).ToYaml());
        var exempting = _repo.CommitSignedBy(mallory, "exempt it", file: PolicyPath,
            content: WithMallory().Reviews(0, policyChanges: 1).Exempt(planted, "looks routine").ToYaml());

        var report = Verify($"{_root}..HEAD");

        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
        var x = report.Commits.Single(c => c.CommitId == planted);
        Assert.Null(x.Exemption);
        Assert.Equal("signature.present", x.FirstFailure!.Id);
        Assert.Contains(report.Commits, c => c.CommitId == exempting);
        Assert.Contains("ignored", report.Scope.ExemptionsIgnored);
    }

    [Fact]
    public void Verify_WhenAnExemptionIsInAPolicyWhoseHistoryHolds_ItStillCounts_ButNeverForAPolicyChange()
    {
        var stray = _repo.CommitSignedBy(null, "pushed unsigned by the bot");
        var unsignedPolicyChange = _repo.CommitSignedBy(null, "bot edits the policy", file: "policies/notes.txt", content: "bot\n");
        var exemption = _repo.CommitSignedBy(_alice, "exempt both", file: PolicyPath,
            content: Policy().Exempt(stray, "old bot").Exempt(unsignedPolicyChange, "old bot").ToYaml());
        _repo.Approve(exemption, _bob);

        var report = Verify($"{_root}..HEAD");

        Assert.Equal("signature.present", report.Commits.Single(c => c.CommitId == unsignedPolicyChange).FirstFailure!.Id);
        // The history does not hold without exemptions (the unsigned policy change), so no exemption is honoured.
        Assert.Null(report.Commits.Single(c => c.CommitId == stray).Exemption);
        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
    }

    [Fact]
    public void Verify_WhenAReviewersSyncMergeBringsInAnUnreviewedCommit_ItReviewsNothing()
    {
        // main: root, then alice's unreviewed commit. bob's branch: his own work, then "git pull" of main into it
        // (a signed merge with parents [his branch, main]); then alice merges bob's branch into main.
        var unreviewed = _repo.CommitSignedBy(_alice, "alice's change nobody reviewed");
        _repo.Git("checkout", "-q", "-b", "bob-branch", _root);
        var bobsWork = _repo.CommitSignedBy(_bob, "bob's work");
        var sync = _repo.MergeSignedBy(_bob, "main", "Merge branch 'main' into bob-branch");
        _repo.Approve(sync, _carol);
        _repo.Git("checkout", "-q", "main");
        var merge = _repo.MergeSignedBy(_alice, "bob-branch", "Merge bob-branch");
        _repo.Approve(merge, _carol);

        var report = Verify($"{_root}..HEAD");

        var verdict = report.Commits.Single(c => c.CommitId == unreviewed);
        Assert.Equal("reviews", verdict.FirstFailure!.Id);
        Assert.DoesNotContain(verdict.Reviews, r => r.Source == sync && r.Counted);
        var reviewOfBob = Assert.Single(report.Commits.Single(c => c.CommitId == bobsWork).Reviews, r => r.Counted);
        Assert.Equal(("alice", "merge", merge), (reviewOfBob.Maintainer, reviewOfBob.Kind, reviewOfBob.Source));
        Assert.Equal(CheckStatus.Failed, report.Summary.Status);
    }

    [Fact]
    public void Verify_WhenAReplaceRefSwapsAVerifiedCommit_IsRefusedNamingIt_AsGitWouldShowTheReplacement()
    {
        var signed = _repo.CommitSignedBy(_bob, "signed and reviewed");
        _repo.Approve(signed, _alice);
        var tip = _repo.CommitSignedBy(_bob, "on top");
        _repo.Approve(tip, _alice);
        Assert.Equal(CheckStatus.Passed, Verify($"{_root}..HEAD").Summary.Status);
        _repo.Git("checkout", "-q", "-b", "scratch", _root);
        var malicious = _repo.CommitSignedBy(null, "unsigned payload");
        _repo.Git("checkout", "-q", "main");
        _repo.Git("replace", signed, malicious);
        Assert.Contains("unsigned payload", _repo.Git("log", "--format=%s", "HEAD")); // what git shows now

        var error = Assert.Throws<CommitRangeException>(() => Verify($"{_root}..HEAD"));

        Assert.Contains($"refs/replace/{signed}", error.Message);
    }

    [Fact]
    public void Verify_WhenAReplaceRefSwapsABlob_IsRefused_AndOneForAnUnrelatedCommitIsNot()
    {
        var change = _repo.CommitSignedBy(_bob, "feature", file: "src/app.c", content: "int main(){return 0;}\n");
        _repo.Approve(change, _alice);
        _repo.Git("checkout", "-q", "-b", "elsewhere", _root);
        var unrelated = _repo.CommitSignedBy(null, "not in the range");
        var other = _repo.CommitSignedBy(null, "replacement");
        _repo.Git("checkout", "-q", "main");
        _repo.Git("replace", unrelated, other);
        Assert.Equal(CheckStatus.Passed, Verify($"{_root}..main").Summary.Status);

        var blob = _repo.Git("rev-parse", "main:src/app.c");
        var evil = ExternalProcess.Run("git", ["hash-object", "-w", "--stdin"], _repo.Path, System.Text.Encoding.ASCII.GetBytes("evil\n")).ThrowOnFailure().StandardOutput.Trim();
        _repo.Git("replace", "-f", blob, evil);

        var error = Assert.Throws<CommitRangeException>(() => Verify($"{_root}..main"));
        Assert.Contains($"replaces blob {blob}", error.Message);
    }

    [Fact]
    public void Verify_WhenANonAdminRepointsTheTrustRootInTheParametersFile_ItIsAPolicyChangeAndFails()
    {
        // A trusted ref's committed .nuke/parameters.json names the trust root: changing it changes which policy rules,
        // so it needs the policy-admins like a change under policies/ does, not just one review.
        var repoint = _repo.CommitSignedBy(_carol, "Update build parameters", file: ".nuke/parameters.json", content: $$"""{ "TrustRoot": "{{_root}}" }""");
        _repo.Approve(repoint, _bob);

        var verdict = Verdict(repoint);

        Assert.Equal("policy.change", verdict.FirstFailure!.Id);
        Assert.Contains(".nuke/parameters.json", verdict.FirstFailure.Actual);
    }

    [Fact]
    public void Verify_TheTrustRootAlone_JudgesItAgainstItsOwnPolicy_SoTheAdoptingCommitCanBeReleased()
    {
        var report = Verify($"{_root}..{_root}");

        var verdict = Assert.Single(report.Commits);
        Assert.Equal((_root, "trust-root", CheckStatus.Passed), (verdict.CommitId, verdict.Context, verdict.Status));
    }

    [Fact]
    public void Verify_WhenPolicyDeleted_TheDeletionAndEveryLaterCommitAreMalformed()
    {
        _repo.Git("rm", "-q", PolicyPath);
        var deletion = _repo.CommitSignedBy(_alice, "really delete the policy");
        _repo.Approve(deletion, _bob);
        var later = _repo.CommitSignedBy(_bob, "after the deletion");
        _repo.Approve(later, _alice);

        var report = Verify($"{_root}..HEAD");

        Assert.Equal(CheckStatus.Malformed, report.Summary.Status);
        Assert.Contains("deleted", report.Commits.Single(c => c.CommitId == deletion).FirstFailure!.Actual);
        Assert.Contains("unusable", report.Commits.Single(c => c.CommitId == later).FirstFailure!.Actual);
    }

    [Fact]
    public void Verify_WhenTrustRootHasNoPolicy_ThrowsNamingIt()
    {
        using var repo = TestRepository.Create();
        var root = repo.CommitSignedBy(_alice, "no policy here");

        var error = Assert.Throws<BuildTrust.Verifiers.Policy.PolicyException>(() => SourceGate.VerifyFromTrustRoot(repo.Path, CommitRange.Parse("HEAD"), root, PolicyPath));
        Assert.Contains($"{PolicyPath}@{root}", error.Message);
    }

    public void Dispose()
    {
        _alice.Dispose();
        _aliceSpare.Dispose();
        _bob.Dispose();
        _carol.Dispose();
        _repo.Dispose();
    }
}
