using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// Judges one commit's signature against the policy, as an ordered list of checks that stops at the first
/// one that does not pass: signature present, readable (SSH or OpenPGP), by a policy key, cryptographically
/// valid (SSH namespace <c>git</c>), by a maintainer with role author, within the key's validity, with the
/// hardware evidence the policy requires.
/// </summary>
public sealed class CommitSignatureGate(ReleasePolicy policy)
{
    public const string GitNamespace = "git";

    public CommitVerdict Verify(CommitRecord commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var checks = new List<CheckResult>(8);
        var verdict = new CommitVerdict(commit.Id, commit.Summary, commit.CommittedAt, null, null, null, null, checks);

        if (commit.ReadError is not null)
        {
            checks.Add(CheckResult.Malformed("commit.readable", "a well-formed commit object", commit.ReadError));
            return verdict;
        }
        if (commit.Signature is null)
        {
            checks.Add(CheckResult.Fail("signature.present", "a signed commit", "the commit is not signed"));
            return verdict;
        }
        checks.Add(CheckResult.Pass("signature.present", "a signed commit", "gpgsig header present"));

        var outcome = SignatureChecker.Check(policy, commit.Signature, commit.SignedPayload, GitNamespace);
        checks.AddRange(outcome.Checks);
        verdict = verdict with { Signer = outcome.Maintainer?.Id, KeyType = outcome.KeyType, KeyFingerprint = outcome.KeyFingerprint };
        if (!outcome.Verified) return verdict;
        var maintainer = outcome.Maintainer!;
        var key = outcome.Key!;

        if (!maintainer.Has(MaintainerRole.Author))
        {
            checks.Add(CheckResult.Fail("signer.role", "a maintainer with role 'author'", $"'{maintainer.Id}' does not hold the role 'author'"));
            return verdict;
        }
        checks.Add(CheckResult.Pass("signer.role", "a maintainer with role 'author'", $"'{maintainer.Id}' is an author"));

        var validity = CheckValidity(commit, maintainer, key);
        checks.Add(validity);
        if (!validity.Passed) return verdict;

        var (hardware, evidence) = HardwareRule.Evaluate(policy.Commits, key, outcome.SecurityKey, outcome.KeyFingerprint);
        checks.Add(hardware);
        return verdict with { HardwareEvidence = evidence };
    }

    private static CheckResult CheckValidity(CommitRecord commit, Maintainer maintainer, MaintainerKey key)
    {
        const string Id = "signer.validity";
        if (KeyValidity.Until(maintainer, key) is not { } until) return CheckResult.Pass(Id, "key within its validity", "no expiry set");
        var expected = $"committer date on or before {until:yyyy-MM-dd} (UTC)";
        var committed = DateOnly.FromDateTime(commit.CommittedAt.UtcDateTime);
        return committed <= until
            ? CheckResult.Pass(Id, expected, $"committed {commit.CommittedAt.UtcDateTime:yyyy-MM-dd}")
            : CheckResult.Fail(Id, expected, $"key of '{maintainer.Id}' expired on {until:yyyy-MM-dd}; commit dated {commit.CommittedAt.UtcDateTime:yyyy-MM-dd}");
    }
}
