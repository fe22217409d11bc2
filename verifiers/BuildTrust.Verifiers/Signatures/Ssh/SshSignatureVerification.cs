namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>The outcome of checking one SSH signature against one key and message.</summary>
/// <param name="IsValid">The signature is well formed, in the right namespace, and cryptographically valid.</param>
/// <param name="Failure">Why not, when it is not.</param>
/// <param name="SecurityKey">For FIDO keys, the flags and counter the authenticator signed.</param>
public sealed record SshSignatureVerification(bool IsValid, string? Failure, SecurityKeyAssertion? SecurityKey)
{
    internal static SshSignatureVerification Fail(string failure, SecurityKeyAssertion? securityKey = null) => new(false, failure, securityKey);
}
