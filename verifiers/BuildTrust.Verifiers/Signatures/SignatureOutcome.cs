using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Signatures;

/// <summary>What checking one armored signature against a policy found: the checks in order, and the signer when known.</summary>
/// <param name="KeyType">The signing key's type (for OpenPGP, of the subkey that signed).</param>
/// <param name="KeyFingerprint">The signing key's fingerprint (for OpenPGP, of the subkey that signed).</param>
/// <param name="SecurityKey">The FIDO flags and counter, for security-key signatures.</param>
public sealed record SignatureOutcome(
    IReadOnlyList<CheckResult> Checks,
    Maintainer? Maintainer,
    MaintainerKey? Key,
    string? KeyType,
    string? KeyFingerprint,
    SecurityKeyAssertion? SecurityKey)
{
    public bool Verified => Checks.Count > 0 && Checks.All(c => c.Passed);

    public CheckResult? Failure => Checks.FirstOrDefault(c => !c.Passed);
}
