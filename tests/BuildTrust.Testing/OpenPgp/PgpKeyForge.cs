using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>
/// Writes OpenPGP packets in process with BouncyCastle from a secret key exported by gpg (unprotected): public
/// key files whose every certification is chosen by the test (self-signature, subkey bindings, back-signatures,
/// revocations) and document signatures with any subpackets. For what gpg will not produce: unknown critical
/// subpackets, missing back-signatures, SHA-1 certifications, signatures dated after a key expired.
/// </summary>
public sealed class PgpKeyForge
{
    private readonly List<(PgpSecretKey Key, PgpPrivateKey Private)> _keys = [];

    public PgpKeyForge(string armoredSecretKey)
    {
        using var input = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.ASCII.GetBytes(armoredSecretKey)));
        var ring = new PgpSecretKeyRing(input);
        foreach (var key in ring.GetSecretKeys()) _keys.Add((key, key.ExtractPrivateKey([])));
        UserId = _keys[0].Key.PublicKey.GetUserIds().First();
    }

    public string UserId { get; }

    public string PrimaryFingerprint => Fingerprint(_keys[0].Key.PublicKey);

    public long KeyId(string fingerprint) => Find(fingerprint).Key.KeyId;

    /// <summary>The subkeys' fingerprints, in the order gpg exported them.</summary>
    public IReadOnlyList<string> SubkeyFingerprints => _keys.Skip(1).Select(k => Fingerprint(k.Key.PublicKey)).ToList();

    /// <summary>
    /// An armored public key file: the primary key with its user ID certified by <paramref name="selfSignature"/>
    /// (none when null), optionally revoked, and the given subkeys with exactly the signatures they describe.
    /// </summary>
    public string PublicKey(PgpSignatureOptions? selfSignature, IEnumerable<PgpSubkeyOptions>? subkeys = null, PgpSignatureOptions? revocation = null,
        PgpSignatureOptions? userIdRevocation = null)
    {
        var (primarySecret, primaryPrivate) = _keys[0];
        var primary = PgpPublicKey.RemoveCertification(primarySecret.PublicKey, UserId) ?? primarySecret.PublicKey;
        var primaryWithoutCertifications = primary;
        if (selfSignature is not null)
            primary = PgpPublicKey.AddCertification(primary, UserId, Generator(primaryPrivate, PgpSignature.PositiveCertification, selfSignature, primarySecret.PublicKey).GenerateCertification(UserId, primaryWithoutCertifications));
        if (userIdRevocation is not null)
            primary = PgpPublicKey.AddCertification(primary, UserId, Generator(primaryPrivate, PgpSignature.CertificationRevocation, userIdRevocation, primarySecret.PublicKey).GenerateCertification(UserId, primaryWithoutCertifications));
        if (revocation is not null)
            primary = PgpPublicKey.AddCertification(primary, Generator(primaryPrivate, PgpSignature.KeyRevocation, revocation, primarySecret.PublicKey).GenerateCertification(primaryWithoutCertifications));

        var output = new MemoryStream();
        primary.Encode(output);
        foreach (var options in subkeys ?? [])
        {
            var (subkeySecret, subkeyPrivate) = Find(options.Fingerprint);
            var subkey = subkeySecret.PublicKey;
            foreach (var existing in subkey.GetSignatures().ToList()) subkey = PgpPublicKey.RemoveCertification(subkey, existing);
            if (options.Binding is { } bindingOptions)
            {
                var generator = Generator(primaryPrivate, PgpSignature.SubkeyBinding, bindingOptions, primarySecret.PublicKey, hashed =>
                {
                    if (options.BackSignature is { } backOptions)
                    {
                        var back = Generator(subkeyPrivate, PgpSignature.PrimaryKeyBinding, backOptions, subkeySecret.PublicKey)
                            .GenerateCertification(primaryWithoutCertifications, subkeySecret.PublicKey);
                        hashed.AddEmbeddedSignature(false, back);
                    }
                });
                subkey = PgpPublicKey.AddCertification(subkey, generator.GenerateCertification(primaryWithoutCertifications, subkeySecret.PublicKey));
            }
            if (options.Revocation is { } revocationOptions)
            {
                var revoked = Generator(primaryPrivate, PgpSignature.SubkeyRevocation, revocationOptions, primarySecret.PublicKey)
                    .GenerateCertification(primaryWithoutCertifications, subkeySecret.PublicKey);
                subkey = PgpPublicKey.AddCertification(subkey, revoked);
            }
            subkey.Encode(output);
        }
        return Armor(output.ToArray());
    }

    /// <summary>A detached armored document signature (type 0x00) by the key with <paramref name="signerFingerprint"/>.</summary>
    public string Sign(byte[] message, string signerFingerprint, PgpSignatureOptions options)
    {
        var (secret, privateKey) = Find(signerFingerprint);
        var generator = Generator(privateKey, PgpSignature.BinaryDocument, options, secret.PublicKey);
        generator.Update(message);
        var output = new MemoryStream();
        generator.Generate().Encode(output);
        return Armor(output.ToArray());
    }

    private static PgpSignatureGenerator Generator(PgpPrivateKey signer, int type, PgpSignatureOptions options, PgpPublicKey signerPublic,
        Action<PgpSignatureSubpacketGenerator>? extraHashed = null)
    {
        var generator = new PgpSignatureGenerator(signerPublic.Algorithm, options.Hash);
        generator.InitSign(type, signer);
        var hashed = new PgpSignatureSubpacketGenerator();
        if (!options.Hashed.Any(s => s.SubpacketType == SignatureSubpacketTag.CreationTime)) hashed.SetSignatureCreationTime(false, options.CreatedAt);
        if (options.IssuerFingerprint) hashed.SetIssuerFingerprint(false, signerPublic);
        if (options.ExpiresAfterSeconds is { } expires) hashed.SetSignatureExpirationTime(false, expires);
        if (options.KeyExpiresAfterSeconds is { } keyExpires) hashed.SetKeyExpirationTime(false, keyExpires);
        if (options.KeyFlags is { } flags) hashed.SetKeyFlags(options.CriticalKeyFlags, flags);
        foreach (var subpacket in options.Hashed) hashed.AddCustomSubpacket(subpacket);
        extraHashed?.Invoke(hashed);
        generator.SetHashedSubpackets(hashed.Generate());
        var unhashed = new PgpSignatureSubpacketGenerator();
        if (options.UnhashedIssuerKeyId is { } issuer) unhashed.SetIssuerKeyID(false, issuer == 0 ? signerPublic.KeyId : issuer);
        foreach (var subpacket in options.Unhashed) unhashed.AddCustomSubpacket(subpacket);
        generator.SetUnhashedSubpackets(unhashed.Generate());
        return generator;
    }

    private (PgpSecretKey Key, PgpPrivateKey Private) Find(string fingerprint) =>
        _keys.FirstOrDefault(k => Fingerprint(k.Key.PublicKey) == fingerprint) is { Key: not null } found
            ? found
            : throw new InvalidOperationException($"no secret key {fingerprint} in the export");

    private static string Fingerprint(PgpPublicKey key) => Convert.ToHexString(key.GetFingerprint());

    private static string Armor(byte[] packets)
    {
        var output = new MemoryStream();
        using (var armor = new ArmoredOutputStream(output))
        {
            armor.Write(packets);
        }
        return Encoding.ASCII.GetString(output.ToArray());
    }
}
