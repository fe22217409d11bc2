namespace BuildTrust.Verifiers.Policy;

public enum SignatureRequirement
{
    /// <summary>A valid signature by a maintainer's key is enough.</summary>
    Signed,

    /// <summary>The signature must carry evidence that the key lives in hardware.</summary>
    Hardware,

    /// <summary>As <see cref="Hardware"/>, and every key must be vendor-attested: security keys by their FIDO enrollment attestation, so a software emulator is refused.</summary>
    AttestedHardware,
}
