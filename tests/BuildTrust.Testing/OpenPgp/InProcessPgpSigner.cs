using System.Text;
using BuildTrust.Testing.Ssh;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>
/// Signs with a secret key exported from gpg, in process, to make signatures gpg refuses to make: SHA-1,
/// by a subkey without the signing flag, dated after the key expired.
/// </summary>
public sealed class InProcessPgpSigner(string armoredSecretKey, string keyFingerprint, HashAlgorithmTag hash = HashAlgorithmTag.Sha512, DateTime? signedAt = null) : ISigner
{
    private (PgpSecretKey Key, PgpPrivateKey Private)? _key;

    public string PublicKeyLine => "";

    public string Sign(byte[] message, string @namespace)
    {
        _key ??= FindKey() is var found ? (found, found.ExtractPrivateKey([])) : null;
        var (secretKey, privateKey) = _key!.Value;
        var generator = new PgpSignatureGenerator(secretKey.PublicKey.Algorithm, hash);
        generator.InitSign(PgpSignature.BinaryDocument, privateKey);
        var subpackets = new PgpSignatureSubpacketGenerator();
        subpackets.SetSignatureCreationTime(false, signedAt ?? DateTime.UtcNow);
        subpackets.SetIssuerFingerprint(false, secretKey.PublicKey);
        generator.SetHashedSubpackets(subpackets.Generate());
        generator.Update(message);
        var output = new MemoryStream();
        using (var armor = new ArmoredOutputStream(output))
        {
            generator.Generate().Encode(armor);
        }
        return Encoding.ASCII.GetString(output.ToArray());
    }

    private PgpSecretKey FindKey()
    {
        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.ASCII.GetBytes(armoredSecretKey)));
        var bundle = new PgpSecretKeyRingBundle(input);
        foreach (PgpSecretKeyRing ring in bundle.GetKeyRings())
        {
            foreach (PgpSecretKey key in ring.GetSecretKeys())
            {
                if (Convert.ToHexString(key.PublicKey.GetFingerprint()) == keyFingerprint) return key;
            }
        }
        throw new InvalidOperationException($"no secret key {keyFingerprint} in the export");
    }
}
