namespace BuildTrust.Verifiers.Policy;

/// <summary>The <c>commits</c> section: what every commit in a release range must satisfy.</summary>
/// <param name="Require">Whether a plain signature suffices or hardware evidence is needed.</param>
/// <param name="UserVerification">Also require the FIDO "user verified" flag on security-key signatures.</param>
/// <param name="Reviews">Approvals needed from maintainers other than the author.</param>
public sealed record CommitRules(SignatureRequirement Require, bool UserVerification, int Reviews)
{
    public static CommitRules Default { get; } = new(SignatureRequirement.Hardware, false, 0);
}
