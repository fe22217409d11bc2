namespace BuildTrust.Verifiers.Trust;

/// <summary>
/// The caller's trust settings for one run, exactly as given: none of them is read from the repository's working tree.
/// </summary>
/// <param name="TrustRoot">A revision whose policy is trusted as given (<c>--trust-root</c>).</param>
/// <param name="TrustedRef">A revision the caller already trusts (<c>--trusted-ref origin/main</c>): its committed <c>.nuke/parameters.json</c> supplies the defaults.</param>
/// <param name="Policy">With a trust root, the policy's path inside the repository's commits; without one, a policy file on disk.</param>
/// <param name="EnvironmentTrustRoot">The value of <c>BUILDTRUST_TRUST_ROOT</c>, passed in by the caller.</param>
public sealed record TrustOptions(string? TrustRoot = null, string? TrustedRef = null, string? Policy = null, string? EnvironmentTrustRoot = null)
{
    public const string EnvironmentVariable = "BUILDTRUST_TRUST_ROOT";
}
