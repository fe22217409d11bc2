namespace BuildTrust.Verifiers.Policy;

/// <summary>The <c>commits</c> section: what every commit in a release range must satisfy.</summary>
/// <param name="Require">Whether a plain signature suffices or hardware evidence is needed.</param>
/// <param name="UserVerification">Also require the FIDO "user verified" flag on security-key signatures.</param>
/// <param name="Reviews">Approvals needed from maintainers other than the author.</param>
/// <param name="PolicyChanges">Distinct policy admins who must sign or approve a commit that changes the policy.</param>
/// <param name="Exemptions">Commits (full id) exempted from every check, with the reason; reported loudly.</param>
/// <param name="RequireTouch">Attested keys must have a touch policy other than never (security-key signatures always need a touch).</param>
public sealed record CommitRules(SignatureRequirement Require, bool UserVerification, int Reviews, int PolicyChanges, IReadOnlyDictionary<string, string> Exemptions, bool RequireTouch = false)
{
    public static CommitRules Default { get; } = new(SignatureRequirement.Hardware, false, 0, 1, new Dictionary<string, string>());
}
