using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Evidence;

/// <summary>
/// A public key reduced to what identifies it (curve and point, modulus and exponent, or Ed25519 bytes), so
/// that "the attested key is the policy key" compares the keys themselves, never a fingerprint field.
/// </summary>
public sealed record PublicKeyMaterial(string Kind, string Value)
{
    public static PublicKeyMaterial FromCertificateKey(AsymmetricKeyParameter key) => key switch
    {
        ECPublicKeyParameters ec => Ec(ec.Parameters.Curve.FieldSize, ec.Q.GetEncoded(false)),
        RsaKeyParameters rsa => Rsa(rsa.Modulus.ToByteArrayUnsigned(), rsa.Exponent.ToByteArrayUnsigned()),
        Ed25519PublicKeyParameters ed => new("ed25519", Convert.ToHexString(ed.GetEncoded())),
        _ => throw new AttestationFormatException($"unsupported attested key type {key.GetType().Name}"),
    };

    /// <summary>The key material of an SSH key (security keys are attested differently and are refused here).</summary>
    public static PublicKeyMaterial FromSsh(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.IsSecurityKey) throw new AttestationFormatException("FIDO security keys carry enrollment attestation, not an X.509 key attestation");
        var reader = new SshWireReader(key.Blob);
        var type = reader.ReadAscii();
        switch (type)
        {
            case SshKeyAlgorithms.Ed25519:
                return new("ed25519", Convert.ToHexString(reader.ReadString()));
            case SshKeyAlgorithms.Rsa:
                var e = reader.ReadPositiveMpint().ToArray();
                var n = reader.ReadPositiveMpint().ToArray();
                return Rsa(n, e);
            default:
                var curve = reader.ReadAscii();
                var bits = curve switch { "nistp256" => 256, "nistp384" => 384, "nistp521" => 521, _ => 0 };
                return Ec(bits, reader.ReadString().ToArray());
        }
    }

    /// <summary>The key material of a FIDO security key (sk-ssh-ed25519 or sk-ecdsa-sha2-nistp256), without its application.</summary>
    public static PublicKeyMaterial FromSecurityKey(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reader = new SshWireReader(key.Blob);
        if (reader.ReadAscii() == SshKeyAlgorithms.SecurityKeyEd25519) return new("ed25519", Convert.ToHexString(reader.ReadString()));
        reader.ReadAscii(); // the curve, nistp256 for the only sk-ecdsa type
        return Ec(256, reader.ReadString().ToArray());
    }

    /// <summary>The key material of one key (primary or subkey) of an OpenPGP key file.</summary>
    public static PublicKeyMaterial FromOpenPgp(PgpPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (key.PublicKeyPacket.Key)
        {
            case RsaPublicBcpgKey rsa:
                return Rsa(rsa.Modulus.ToByteArrayUnsigned(), rsa.PublicExponent.ToByteArrayUnsigned());
            case EdDsaPublicBcpgKey ed:
                var point = ed.EncodedPoint.ToByteArrayUnsigned();
                return new("ed25519", Convert.ToHexString(point.Length == 33 && point[0] == 0x40 ? point[1..] : point));
            case ECDsaPublicBcpgKey ec:
                var bits = ec.CurveOid.Equals(SecObjectIdentifiers.SecP256r1) ? 256 : ec.CurveOid.Equals(SecObjectIdentifiers.SecP384r1) ? 384 : 0;
                return Ec(bits, ec.EncodedPoint.ToByteArrayUnsigned());
            default:
                return new("unsupported", Convert.ToHexString(key.GetFingerprint()));
        }
    }

    private static PublicKeyMaterial Ec(int fieldBits, byte[] uncompressedPoint) => new($"ec-p{fieldBits}", Convert.ToHexString(uncompressedPoint));

    private static PublicKeyMaterial Rsa(byte[] modulus, byte[] exponent) => new("rsa", $"{Convert.ToHexString(modulus)}:{Convert.ToHexString(exponent)}");
}
