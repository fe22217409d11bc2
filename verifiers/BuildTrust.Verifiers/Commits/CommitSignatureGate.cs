using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Ssh;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// Judges one commit's signature against the policy, as an ordered list of checks that stops at the first
/// one that does not pass: signature present, readable, by a policy key of an author, cryptographically
/// valid in namespace <c>git</c>, within the key's validity, with the hardware evidence the policy requires.
/// </summary>
public sealed class CommitSignatureGate(ReleasePolicy policy)
{
    public const string GitNamespace = "git";

    public CommitVerdict Verify(CommitRecord commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var checks = new List<CheckResult>(7);
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

        if (!SshSignature.IsArmoredSshSignature(commit.Signature))
        {
            checks.Add(CheckResult.Fail("signature.format", "an SSH signature", $"unsupported signature format: {DescribeFormat(commit.Signature)}"));
            return verdict;
        }
        SshSignature signature;
        try
        {
            signature = SshSignature.Parse(commit.Signature);
        }
        catch (SshFormatException e)
        {
            checks.Add(CheckResult.Malformed("signature.format", "a well-formed SSH signature", $"malformed SSH signature: {e.Message}"));
            return verdict;
        }
        checks.Add(CheckResult.Pass("signature.format", "an SSH signature", "SSH signature"));

        if (!policy.TryFindKey(signature.PublicKeyBlob, out var maintainer, out var key))
        {
            checks.Add(CheckResult.Fail("signer.known", "a key listed in the policy", $"unknown key: {DescribeUnknownKey(signature)}"));
            return verdict with { KeyType = signature.PublicKeyAlgorithm, KeyFingerprint = Fingerprint(signature) };
        }
        verdict = verdict with { Signer = maintainer.Id, KeyType = key.Ssh.Algorithm, KeyFingerprint = key.Ssh.Fingerprint };
        checks.Add(CheckResult.Pass("signer.known", "a key listed in the policy", $"key of maintainer '{maintainer.Id}'", key.Ssh.Fingerprint));

        if (!maintainer.Has(MaintainerRole.Author))
        {
            checks.Add(CheckResult.Fail("signer.role", "a maintainer with role 'author'", $"'{maintainer.Id}' does not hold the role 'author'"));
            return verdict;
        }
        checks.Add(CheckResult.Pass("signer.role", "a maintainer with role 'author'", $"'{maintainer.Id}' is an author"));

        SshSignatureVerification result;
        try
        {
            result = SshSignatureVerifier.Verify(key.Ssh, signature, commit.SignedPayload, GitNamespace);
        }
        catch (SshFormatException e)
        {
            checks.Add(CheckResult.Malformed("signature.valid", "a valid signature over the commit", $"malformed signature blob: {e.Message}"));
            return verdict;
        }
        if (!result.IsValid)
        {
            checks.Add(CheckResult.Fail("signature.valid", "a valid signature over the commit", result.Failure!));
            return verdict;
        }
        checks.Add(CheckResult.Pass("signature.valid", "a valid signature over the commit", $"valid {signature.SignatureAlgorithm} signature, hash {signature.HashAlgorithm}, namespace '{signature.Namespace}'"));

        var validity = CheckValidity(commit, maintainer, key);
        checks.Add(validity);
        if (!validity.Passed) return verdict;

        var (hardware, evidence) = HardwareRule.Evaluate(policy.Commits, key.Ssh, result.SecurityKey);
        checks.Add(hardware);
        return verdict with { HardwareEvidence = evidence };
    }

    private static CheckResult CheckValidity(CommitRecord commit, Maintainer maintainer, MaintainerKey key)
    {
        DateOnly? until = (maintainer.ValidUntil, key.ValidUntil) switch
        {
            ({ } m, { } k) => m < k ? m : k,
            var (m, k) => m ?? k,
        };
        const string Id = "signer.validity";
        if (until is null) return CheckResult.Pass(Id, "key within its validity", "no expiry set");
        var expected = $"committer date on or before {until:yyyy-MM-dd} (UTC)";
        var committed = DateOnly.FromDateTime(commit.CommittedAt.UtcDateTime);
        return committed <= until
            ? CheckResult.Pass(Id, expected, $"committed {commit.CommittedAt.UtcDateTime:yyyy-MM-dd}")
            : CheckResult.Fail(Id, expected, $"key of '{maintainer.Id}' expired on {until:yyyy-MM-dd}; commit dated {commit.CommittedAt.UtcDateTime:yyyy-MM-dd}");
    }

    private static string DescribeFormat(string signature)
    {
        var trimmed = signature.TrimStart();
        if (trimmed.StartsWith("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal)) return "OpenPGP (not supported yet by this version)";
        if (trimmed.StartsWith("-----BEGIN SIGNED MESSAGE-----", StringComparison.Ordinal)) return "X.509/CMS (gpg.format=x509, not supported)";
        return "not an armored SSH, OpenPGP or X.509 signature";
    }

    private static string DescribeUnknownKey(SshSignature signature)
    {
        return $"{signature.PublicKeyAlgorithm} {Fingerprint(signature)}";
    }

    private static string Fingerprint(SshSignature signature) =>
        "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(signature.PublicKeyBlob)).TrimEnd('=');
}
