namespace BuildTrust.Pipeline.Signing;

/// <summary>
/// An ECDSA P-256 key that signs SHA-256 digests. Its private half never leaves its file or token; only
/// digests go in and DER signatures come out. Implementations are safe to call from several threads.
/// </summary>
public interface IDigestSigner : IDisposable
{
    /// <summary>The public key, DER SubjectPublicKeyInfo.</summary>
    byte[] SubjectPublicKeyInfo { get; }

    /// <summary>True when the private key is held by a token (PKCS#11), false for a key file.</summary>
    bool IsHardware { get; }

    /// <summary>Where the key is, for messages: a file path, or the pkcs11 URI without any PIN.</summary>
    string Description { get; }

    /// <summary>Signs a 32-byte SHA-256 digest; returns the ASN.1 DER (RFC 3279) ECDSA signature.</summary>
    byte[] SignDigest(ReadOnlySpan<byte> sha256Digest);
}
