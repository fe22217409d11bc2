using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Checks;

/// <summary>
/// The policy's hardware rule for one SSH signature, shared by commit signatures and review approvals:
/// security-key signatures always need user presence, and user verification when the policy asks;
/// under <c>require: hardware</c> other key types have no evidence and fail.
/// </summary>
public static class HardwareRule
{
    public const string Id = "hardware";

    /// <summary>The check, and the evidence (or its absence) in words for the report.</summary>
    /// <param name="signingKeyFingerprint">The key that made the signature (for OpenPGP, possibly a subkey).</param>
    public static (CheckResult Check, string Evidence) Evaluate(CommitRules rules, MaintainerKey key, SecurityKeyAssertion? assertion, string? signingKeyFingerprint)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(key);
        var expected = rules.Require switch
        {
            SignatureRequirement.AttestedHardware => rules.UserVerification ? "a vendor-attested hardware key, touched, user verified" : "a vendor-attested hardware key, touched",
            SignatureRequirement.Hardware => rules.UserVerification ? "a hardware key, touched, user verified" : "a hardware key, touched",
            _ => rules.UserVerification ? "user verified" : "security-key signatures touched",
        };
        if (assertion is not null)
        {
            var evidence = $"FIDO security key ({assertion.Application}): {(assertion.UserPresent ? "user present" : "NO user presence")}, " +
                           $"{(assertion.UserVerified ? "user verified" : "user not verified")}, counter {assertion.Counter}";
            if (!assertion.UserPresent)
                return (CheckResult.Fail(Id, expected, "security-key signature without user presence: the key was not touched", evidence), evidence);
            if (rules.UserVerification && !assertion.UserVerified)
                return (CheckResult.Fail(Id, expected, "security-key signature without user verification (PIN), which the policy requires", evidence), evidence);
            if (key.Attestation is { } enrollment) evidence += $"; {enrollment.Describe()}";
            if (rules.Require == SignatureRequirement.AttestedHardware && key.Attestation is not { Valid: true })
                return (CheckResult.Fail(Id, expected, key.Attestation is null
                    ? "security key without enrollment attestation: a software FIDO emulator makes the same signatures"
                    : $"security key enrollment attestation refused: {key.Attestation.Failure}", evidence), evidence);
            return (CheckResult.Pass(Id, expected, evidence), evidence);
        }
        if (key.Attestation is { } attestation)
        {
            var evidence = attestation.Describe();
            if (!attestation.Valid)
                return (CheckResult.Fail(Id, expected, $"no hardware evidence: {evidence}", evidence), evidence);
            if (signingKeyFingerprint != key.AttestedKeyFingerprint)
                return (CheckResult.Fail(Id, expected, $"the signature was made by {signingKeyFingerprint}, not by the attested key {key.AttestedKeyFingerprint}", evidence), evidence);
            if (rules.RequireTouch && attestation.Properties?.Touch is not ("always" or "cached"))
                return (CheckResult.Fail(Id, expected, $"the attested touch policy is '{attestation.Properties?.Touch ?? "not stated"}'; the policy requires touch", evidence), evidence);
            if (rules.UserVerification && attestation.Properties?.Pin is not ("always" or "once"))
                return (CheckResult.Fail(Id, expected, $"the attested PIN policy is '{attestation.Properties?.Pin ?? "not stated"}'; the policy requires user verification", evidence), evidence);
            return (CheckResult.Pass(Id, expected, evidence), evidence);
        }
        var none = $"none: a {key.KeyType} key can be held in software";
        if (rules.Require is SignatureRequirement.Hardware or SignatureRequirement.AttestedHardware)
            return (CheckResult.Fail(Id, expected, $"no hardware evidence for a {key.KeyType} key; use a FIDO security key (sk-*) or give the key's vendor attestation ('attestation:')", none), none);
        if (rules.UserVerification)
            return (CheckResult.Fail(Id, expected, $"a {key.KeyType} signature cannot show user verification, which the policy requires", none), none);
        return (CheckResult.Pass(Id, expected, "not required (require: signed)", none), none);
    }
}
