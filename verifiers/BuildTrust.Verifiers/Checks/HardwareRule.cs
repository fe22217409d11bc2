using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Ssh;

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
    public static (CheckResult Check, string Evidence) Evaluate(CommitRules rules, MaintainerKey key, SecurityKeyAssertion? assertion)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(key);
        var expected = rules.Require == SignatureRequirement.Hardware
            ? rules.UserVerification ? "a hardware key, touched, user verified" : "a hardware key, touched"
            : rules.UserVerification ? "user verified" : "security-key signatures touched";
        if (assertion is not null)
        {
            var evidence = $"FIDO security key ({assertion.Application}): {(assertion.UserPresent ? "user present" : "NO user presence")}, " +
                           $"{(assertion.UserVerified ? "user verified" : "user not verified")}, counter {assertion.Counter}";
            if (!assertion.UserPresent)
                return (CheckResult.Fail(Id, expected, "security-key signature without user presence: the key was not touched", evidence), evidence);
            if (rules.UserVerification && !assertion.UserVerified)
                return (CheckResult.Fail(Id, expected, "security-key signature without user verification (PIN), which the policy requires", evidence), evidence);
            return (CheckResult.Pass(Id, expected, evidence), evidence);
        }
        var none = $"none: a {key.KeyType} key can be held in software";
        if (rules.Require == SignatureRequirement.Hardware)
            return (CheckResult.Fail(Id, expected, $"no hardware evidence for a {key.KeyType} key; use a FIDO security key (sk-*); attested keys are not supported yet", none), none);
        if (rules.UserVerification)
            return (CheckResult.Fail(Id, expected, $"a {key.KeyType} signature cannot show user verification, which the policy requires", none), none);
        return (CheckResult.Pass(Id, expected, "not required (require: signed)", none), none);
    }
}
