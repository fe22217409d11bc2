namespace BuildTrust.Verifiers.Statements.Sigstore;

public enum BundleStatus
{
    /// <summary>The signature holds for the expected key and content.</summary>
    Verified,

    /// <summary>Well formed, but the signature, key or content does not match (exit 1).</summary>
    Failed,

    /// <summary>Not a bundle this verifier accepts (exit 2).</summary>
    Malformed,
}

/// <summary>The outcome of verifying one bundle; <see cref="Payload"/> is the DSSE payload, only when verified.</summary>
public sealed record BundleCheck(BundleStatus Status, string Message, byte[]? Payload = null)
{
    public bool Verified => Status == BundleStatus.Verified;
}
