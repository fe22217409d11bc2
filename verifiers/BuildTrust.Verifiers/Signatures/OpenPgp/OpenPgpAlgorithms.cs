using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>What BuildTrust accepts in OpenPGP: v4 keys (Ed25519, ECDSA P-256/P-384, RSA ≥ 2048) and SHA-2 hashes of 256 bits or more.</summary>
internal static class OpenPgpAlgorithms
{
    public const int MinimumRsaBits = 2048;

    /// <summary>Null when the key's algorithm is accepted; otherwise why not.</summary>
    public static string? RefuseKey(PgpPublicKey key)
    {
        if (key.Version != 4) return $"OpenPGP v{key.Version} keys are not supported (v4 only)";
        switch (key.Algorithm)
        {
            case PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign:
                return key.BitStrength < MinimumRsaBits ? $"RSA key of {key.BitStrength} bits; at least {MinimumRsaBits} are required" : null;
            case PublicKeyAlgorithmTag.ECDsa:
                var curve = ((ECPublicBcpgKey)key.PublicKeyPacket.Key).CurveOid;
                return curve.Equals(SecObjectIdentifiers.SecP256r1) || curve.Equals(SecObjectIdentifiers.SecP384r1)
                    ? null : $"ECDSA curve {curve} is not accepted (P-256 or P-384)";
            case PublicKeyAlgorithmTag.EdDsa_Legacy:
                return null;
            case PublicKeyAlgorithmTag.Ed25519:
                return null;
            default:
                return $"key algorithm {key.Algorithm} is not accepted (Ed25519, ECDSA P-256/P-384, RSA)";
        }
    }

    /// <summary>Null when the hash is accepted; otherwise why not, as a phrase ("uses SHA-1, which is refused ...").</summary>
    public static string? RefuseHash(HashAlgorithmTag hash) => hash switch
    {
        HashAlgorithmTag.Sha256 or HashAlgorithmTag.Sha384 or HashAlgorithmTag.Sha512 or HashAlgorithmTag.Sha3_256 or HashAlgorithmTag.Sha3_512 => null,
        _ => $"uses {HashName(hash)}, which is refused (SHA-256 or stronger required: a weaker hash lets a signature be reused by collision)",
    };

    public static string HashName(HashAlgorithmTag hash) => hash switch
    {
        HashAlgorithmTag.MD5 => "MD5",
        HashAlgorithmTag.Sha1 => "SHA-1",
        HashAlgorithmTag.RipeMD160 => "RIPEMD-160",
        HashAlgorithmTag.Sha224 => "SHA-224",
        HashAlgorithmTag.Sha256 => "SHA-256",
        HashAlgorithmTag.Sha384 => "SHA-384",
        HashAlgorithmTag.Sha512 => "SHA-512",
        HashAlgorithmTag.Sha3_256 => "SHA3-256",
        HashAlgorithmTag.Sha3_512 => "SHA3-512",
        _ => $"hash algorithm {(int)hash}",
    };

    public static string Describe(PgpPublicKey key) => key.Algorithm switch
    {
        PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign => $"openpgp-rsa{key.BitStrength}",
        PublicKeyAlgorithmTag.ECDsa => ((ECPublicBcpgKey)key.PublicKeyPacket.Key).CurveOid.Equals(SecObjectIdentifiers.SecP384r1) ? "openpgp-ecdsa-p384" : "openpgp-ecdsa-p256",
        PublicKeyAlgorithmTag.EdDsa_Legacy or PublicKeyAlgorithmTag.Ed25519 => "openpgp-ed25519",
        _ => $"openpgp-{key.Algorithm}".ToLowerInvariant(),
    };

    public static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());
}
