namespace BuildTrust.Verifiers.Policy;

public enum SignatureRequirement
{
    /// <summary>A valid signature by a maintainer's key is enough.</summary>
    Signed,

    /// <summary>The signature must carry evidence that the key lives in hardware.</summary>
    Hardware,
}
