using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// Verifies OpenPGP v4 RSA signatures with the BCL: PKCS#1 v1.5 over H(message ‖ signature trailer), the
/// trailer being the hashed part of the signature packet (RFC 4880 §5.2.4).
/// </summary>
internal sealed class OpenPgpRsaVerifier
{
    private readonly int _modulusBytes;
    private readonly ThreadLocal<RSA> _rsa;

    private OpenPgpRsaVerifier(RSAParameters parameters)
    {
        _modulusBytes = parameters.Modulus!.Length;
        _rsa = new ThreadLocal<RSA>(() =>
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(parameters);
            return rsa;
        });
    }

    public static OpenPgpRsaVerifier? For(PgpPublicKey key)
    {
        if (key.Algorithm is not (PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign)) return null;
        var rsa = (RsaPublicBcpgKey)key.PublicKeyPacket.Key;
        return new OpenPgpRsaVerifier(new RSAParameters { Modulus = rsa.Modulus.ToByteArrayUnsigned(), Exponent = rsa.PublicExponent.ToByteArrayUnsigned() });
    }

    /// <summary>
    /// Null when the hash has no BCL equivalent (the caller falls back to BouncyCastle). Every hash the verifier accepts has
    /// one: BouncyCastle re-tests the RSA modulus for primality on each use (1.7 s for an 8192-bit key, found while fuzzing),
    /// so a key file of SHA3 certifications would otherwise make a policy slow to load. Without SHA-3 in the platform's
    /// crypto library a SHA-3 RSA signature is refused rather than verified slowly.
    /// </summary>
    public bool? Verify(PgpSignature signature, byte[] message)
    {
        HashAlgorithmName? hash = signature.HashAlgorithm switch
        {
            HashAlgorithmTag.Sha256 => HashAlgorithmName.SHA256,
            HashAlgorithmTag.Sha384 => HashAlgorithmName.SHA384,
            HashAlgorithmTag.Sha512 => HashAlgorithmName.SHA512,
            HashAlgorithmTag.Sha3_256 when SHA3_256.IsSupported => HashAlgorithmName.SHA3_256,
            HashAlgorithmTag.Sha3_512 when SHA3_512.IsSupported => HashAlgorithmName.SHA3_512,
            HashAlgorithmTag.Sha3_256 or HashAlgorithmTag.Sha3_512 => null,
            // Weak hashes are refused by the callers' rules, not here; checking them through the BCL only spares BouncyCastle's
            // primality test of the modulus (tens of ms per RSA key), which old keys with SHA-1 certifications would pay per signature.
            HashAlgorithmTag.Sha1 => HashAlgorithmName.SHA1,
            HashAlgorithmTag.MD5 => HashAlgorithmName.MD5,
            _ => null,
        };
        if (hash is null) return signature.HashAlgorithm is HashAlgorithmTag.Sha3_256 or HashAlgorithmTag.Sha3_512 ? false : null;
        using var digest = IncrementalHash.CreateHash(hash.Value);
        digest.AppendData(message);
        digest.AppendData(signature.GetSignatureTrailer());
        var value = signature.GetSignature();
        if (value.Length > _modulusBytes) return false;
        var padded = new byte[_modulusBytes];
        value.CopyTo(padded.AsSpan(_modulusBytes - value.Length));
        return _rsa.Value!.VerifyHash(digest.GetHashAndReset(), padded, hash.Value, RSASignaturePadding.Pkcs1);
    }
}
