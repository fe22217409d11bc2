namespace BuildTrust.Verifiers.Policy;

/// <summary>The <c>release</c> section: how many builders must agree, and the key that signs a release.</summary>
/// <param name="SigningKey">An RFC 7512 <c>pkcs11:</c> URI, or (when hardware is not required) a PEM key file path.</param>
/// <param name="PublicKeyDer">The release key's public half (SubjectPublicKeyInfo, DER): signing refuses any other key, audits check against it.</param>
public sealed record ReleaseRules(int Quorum, string SigningKey, byte[] PublicKeyDer, bool SigningKeyHardwareRequired)
{
    /// <summary>What must differ between builders for each to count towards the quorum: always <c>engine</c>; the policy may add <c>host</c> and <c>operator</c>.</summary>
    public IReadOnlySet<string> Independence { get; init; } = new HashSet<string>(StringComparer.Ordinal) { BuildTrust.Verifiers.Quorum.IndependenceAspect.Engine };
}
