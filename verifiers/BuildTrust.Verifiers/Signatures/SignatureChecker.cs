using System.Security.Cryptography;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Signatures;

/// <summary>
/// Identifies the signer of an armored signature (SSH or OpenPGP) among the policy's keys and verifies it
/// over the message: <c>signature.format</c>, <c>signer.known</c>, <c>signature.valid</c>, in that order,
/// stopping at the first that does not pass. Shared by commit signatures and review approvals.
/// </summary>
public static class SignatureChecker
{
    public const string OpenTimestampsEvidence = "OpenTimestamps proof present, not verified";

    /// <summary>Never throws for hostile signature bytes: whatever they hold becomes a failed or malformed check of this one signature.</summary>
    public static SignatureOutcome Check(ReleasePolicy policy, string armored, byte[] message, string sshNamespace)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(armored);
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            if (SshSignature.IsArmoredSshSignature(armored)) return CheckSsh(policy, armored, message, sshNamespace);
            if (OpenPgpSignature.IsArmoredOpenPgpSignature(armored)) return CheckOpenPgp(policy, armored, message);
            return Outcome([CheckResult.Fail("signature.format", "an SSH or OpenPGP signature", $"unsupported signature format: {DescribeFormat(armored)}")]);
        }
        catch (Exception e) when (ParserFailure.IsMalformedInput(e))
        {
            // A parser path that throws something else than its format exception must still fail this signature only.
            return Outcome([CheckResult.Malformed("signature.format", "a well-formed SSH or OpenPGP signature", $"the signature cannot be read: {e.GetType().Name}: {e.Message}")]);
        }
    }

    private static SignatureOutcome CheckSsh(ReleasePolicy policy, string armored, byte[] message, string sshNamespace)
    {
        const string Expected = "a valid signature over the signed content";
        SshSignature signature;
        try
        {
            signature = SshSignature.Parse(armored);
        }
        catch (SshFormatException e)
        {
            return Outcome([CheckResult.Malformed("signature.format", "a well-formed SSH signature", $"malformed SSH signature: {e.Message}")]);
        }
        var checks = new List<CheckResult> { CheckResult.Pass("signature.format", "an SSH or OpenPGP signature", "SSH signature") };
        if (!policy.TryFindKey(signature.PublicKeyBlob, out var maintainer, out var key))
        {
            var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(signature.PublicKeyBlob)).TrimEnd('=');
            checks.Add(CheckResult.Fail("signer.known", "a key listed in the policy", $"unknown key: {signature.PublicKeyAlgorithm} {fingerprint}"));
            return new SignatureOutcome(checks, null, null, signature.PublicKeyAlgorithm, fingerprint, null);
        }
        checks.Add(CheckResult.Pass("signer.known", "a key listed in the policy", $"key of maintainer '{maintainer.Id}'", key.Fingerprint));
        SshSignatureVerification result;
        try
        {
            result = SshSignatureVerifier.Verify(key.Ssh!, signature, message, sshNamespace);
        }
        catch (SshFormatException e)
        {
            checks.Add(CheckResult.Malformed("signature.valid", Expected, $"malformed signature blob: {e.Message}"));
            return new SignatureOutcome(checks, maintainer, key, key.KeyType, key.Fingerprint, null);
        }
        checks.Add(result.IsValid
            ? CheckResult.Pass("signature.valid", Expected, $"valid {signature.SignatureAlgorithm} signature, hash {signature.HashAlgorithm}, namespace '{signature.Namespace}'")
            : CheckResult.Fail("signature.valid", Expected, result.Failure!));
        return new SignatureOutcome(checks, maintainer, key, key.KeyType, key.Fingerprint, result.SecurityKey);
    }

    private static SignatureOutcome CheckOpenPgp(ReleasePolicy policy, string armored, byte[] message)
    {
        const string Expected = "a valid signature over the signed content";
        OpenPgpSignature signature;
        try
        {
            signature = OpenPgpSignature.Parse(armored);
        }
        catch (OpenPgpFormatException e)
        {
            return Outcome([CheckResult.Malformed("signature.format", "a well-formed OpenPGP signature", e.Message)]);
        }
        var checks = new List<CheckResult>
        {
            signature.HasOpenTimestampsProof
                ? CheckResult.Pass("signature.format", "an SSH or OpenPGP signature", "OpenPGP signature followed by an OpenTimestamps block", OpenTimestampsEvidence)
                : CheckResult.Pass("signature.format", "an SSH or OpenPGP signature", "OpenPGP signature"),
        };
        if (!policy.TryFindOpenPgpKey(signature.KeyId, out var maintainer, out var key))
        {
            checks.Add(CheckResult.Fail("signer.known", "a key listed in the policy", $"unknown key: OpenPGP key id {signature.KeyId:X16}"));
            return new SignatureOutcome(checks, null, null, "openpgp", $"{signature.KeyId:X16}", null);
        }
        checks.Add(CheckResult.Pass("signer.known", "a key listed in the policy", $"key of maintainer '{maintainer.Id}'", key.Fingerprint));
        var result = OpenPgpSignatureVerifier.Verify(key.OpenPgp!, signature, message);
        var evidence = signature.HasOpenTimestampsProof ? OpenTimestampsEvidence : null;
        checks.Add(result.IsValid
            ? CheckResult.Pass("signature.valid", Expected, $"valid OpenPGP signature by {result.SigningKeyType} {result.SigningKeyFingerprint}, hash {OpenPgpAlgorithms.HashName(signature.Hash)}", evidence)
            : CheckResult.Fail("signature.valid", Expected, result.Failure!, evidence));
        return new SignatureOutcome(checks, maintainer, key, result.SigningKeyType ?? key.KeyType, result.SigningKeyFingerprint ?? key.Fingerprint, null);
    }

    private static SignatureOutcome Outcome(List<CheckResult> checks) => new(checks, null, null, null, null, null);

    private static string DescribeFormat(string signature) =>
        signature.TrimStart().StartsWith("-----BEGIN SIGNED MESSAGE-----", StringComparison.Ordinal)
            ? "X.509/CMS (gpg.format=x509), which BuildTrust does not support"
            : "not an armored SSH or OpenPGP signature";
}
