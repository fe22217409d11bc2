using Org.BouncyCastle.Bcpg;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>What <see cref="PgpKeyForge"/> puts into one signature packet. Defaults: SHA-512, hashed issuer fingerprint, unhashed issuer key id (as gpg does).</summary>
public sealed record PgpSignatureOptions(DateTime CreatedAt)
{
    public HashAlgorithmTag Hash { get; init; } = HashAlgorithmTag.Sha512;

    /// <summary>Signature expiration time (subpacket 3, hashed), seconds after creation.</summary>
    public long? ExpiresAfterSeconds { get; init; }

    /// <summary>Key expiration time (subpacket 9), for self-signatures and bindings.</summary>
    public long? KeyExpiresAfterSeconds { get; init; }

    /// <summary>Key flags (subpacket 27), for self-signatures and bindings.</summary>
    public int? KeyFlags { get; init; }

    public bool CriticalKeyFlags { get; init; }

    public bool IssuerFingerprint { get; init; } = true;

    /// <summary>The issuer key id written in the unhashed area; null writes none, 0 writes the signer's.</summary>
    public long? UnhashedIssuerKeyId { get; init; } = 0;

    public IReadOnlyList<SignatureSubpacket> Hashed { get; init; } = [];

    public IReadOnlyList<SignatureSubpacket> Unhashed { get; init; } = [];
}
