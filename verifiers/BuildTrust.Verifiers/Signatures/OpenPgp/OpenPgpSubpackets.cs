using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// The subpacket rules every signature that decides something must meet (the document signature, the
/// self-signatures, subkey bindings and back-signatures that make a key valid): a creation time in the hashed
/// area; no critical subpacket BuildTrust does not interpret (RFC 4880 §5.2.3.1, RFC 9580 §5.2.3.7: "the
/// signature is invalid"), in either area, as gpg does; no critical notation at all (BuildTrust knows none);
/// no repeated subpacket that decides validity. What these signatures say is read from the hashed area only:
/// the unhashed area is not signed, so it only offers the issuer key id as a lookup hint.
/// </summary>
internal static class OpenPgpSubpackets
{
    /// <summary>Type 34, "preferred AEAD algorithms" of RFC 4880bis (LibrePGP); BouncyCastle names only the type 39 of RFC 9580.</summary>
    private const SignatureSubpacketTag PreferredAeadLibrePgp = (SignatureSubpacketTag)34;

    private static readonly SignatureSubpacketTag[] Everywhere =
        [SignatureSubpacketTag.CreationTime, SignatureSubpacketTag.ExpireTime, SignatureSubpacketTag.IssuerKeyId, SignatureSubpacketTag.IssuerFingerprint];

    /// <summary>What a self-signature or binding says that BuildTrust reads (expiry, flags) or that cannot change a verdict (preferences).</summary>
    private static readonly SignatureSubpacketTag[] KeyBinding =
    [
        .. Everywhere, SignatureSubpacketTag.KeyExpireTime, SignatureSubpacketTag.KeyFlags, SignatureSubpacketTag.PrimaryUserId,
        SignatureSubpacketTag.PreferredSymmetricAlgorithms, SignatureSubpacketTag.PreferredHashAlgorithms,
        SignatureSubpacketTag.PreferredCompressionAlgorithms, SignatureSubpacketTag.PreferredAeadAlgorithms, PreferredAeadLibrePgp,
        SignatureSubpacketTag.Features, SignatureSubpacketTag.KeyServerPreferences, SignatureSubpacketTag.PreferredKeyServer,
    ];

    private static readonly SignatureSubpacketTag[] SubkeyBinding = [.. KeyBinding, SignatureSubpacketTag.EmbeddedSignature];

    /// <summary>Subpackets a signature may carry once in its hashed area: two would leave a reader to pick one.</summary>
    private static readonly SignatureSubpacketTag[] Unique =
    [
        SignatureSubpacketTag.CreationTime, SignatureSubpacketTag.ExpireTime, SignatureSubpacketTag.KeyExpireTime,
        SignatureSubpacketTag.KeyFlags, SignatureSubpacketTag.IssuerKeyId, SignatureSubpacketTag.IssuerFingerprint,
    ];

    /// <summary>
    /// Null when the signature's subpackets are acceptable; otherwise why the signature is invalid, as a phrase
    /// ("carries ..."). Every value BuildTrust reads later is read here once, so a malformed one is refused here.
    /// </summary>
    public static string? Refuse(PgpSignature signature)
    {
        try
        {
            return RefuseCore(signature);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return $"has a malformed subpacket ({e.Message})";
        }
    }

    private static string? RefuseCore(PgpSignature signature)
    {
        var hashed = signature.GetHashedSubPackets();
        if (hashed is null || !hashed.HasSubpacket(SignatureSubpacketTag.CreationTime)) return "has no creation time in its hashed subpackets";
        foreach (var tag in Unique)
        {
            var count = hashed.GetSubpackets(tag).Length;
            if (count > 1) return $"holds {count} {Describe(tag)} subpackets in its hashed area";
        }
        var known = Understood(signature.SignatureType);
        foreach (var (area, vector) in new[] { ("hashed", hashed), ("unhashed", signature.GetUnhashedSubPackets()) })
        {
            foreach (var subpacket in vector?.ToArray() ?? [])
            {
                if (!subpacket.IsCritical()) continue;
                if (subpacket.SubpacketType == SignatureSubpacketTag.NotationData)
                    return $"carries a critical notation '{NotationName(subpacket.GetData())}' in its {area} subpackets, which BuildTrust does not know";
                if (!known.Contains(subpacket.SubpacketType))
                    return $"carries a critical {Describe(subpacket.SubpacketType)} subpacket in its {area} subpackets, which BuildTrust does not interpret for this kind of signature";
            }
        }
        var issuer = hashed.GetIssuerFingerprint();
        if (issuer is not null && hashed.HasSubpacket(SignatureSubpacketTag.IssuerKeyId) && KeyIdOf(issuer.GetFingerprint()) != hashed.GetIssuerKeyId())
            return "names different keys in its hashed issuer key id and issuer fingerprint";
        _ = (hashed.GetSignatureCreationTime(), hashed.GetSignatureExpirationTime(), hashed.GetKeyExpirationTime(), hashed.GetKeyFlags(), IssuerKeyId(signature));
        if (signature.SignatureType == PgpSignature.SubkeyBinding) _ = (hashed.GetEmbeddedSignatures(), signature.GetUnhashedSubPackets()?.GetEmbeddedSignatures());
        return null;
    }

    /// <summary>When the signature stops being valid according to its own hashed expiration time (subpacket 3), or null for never.</summary>
    public static DateTime? Expiry(PgpSignature signature)
    {
        var seconds = signature.GetHashedSubPackets()?.GetSignatureExpirationTime() ?? 0;
        return seconds <= 0 ? null : signature.CreationTime.AddSeconds(seconds);
    }

    /// <summary>
    /// The key id of the issuer: from the hashed issuer fingerprint, else the hashed issuer key id, else the
    /// unhashed issuer key id (only a hint: the key it names must still verify the signature). Zero when none.
    /// </summary>
    public static long IssuerKeyId(PgpSignature signature)
    {
        try
        {
            return IssuerKeyIdCore(signature);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return 0;
        }
    }

    private static long IssuerKeyIdCore(PgpSignature signature)
    {
        var hashed = signature.GetHashedSubPackets();
        if (hashed?.GetIssuerFingerprint() is { } fingerprint && fingerprint.GetFingerprint().Length == 20) return KeyIdOf(fingerprint.GetFingerprint());
        if (hashed?.HasSubpacket(SignatureSubpacketTag.IssuerKeyId) == true) return hashed.GetIssuerKeyId();
        var unhashed = signature.GetUnhashedSubPackets();
        return unhashed?.HasSubpacket(SignatureSubpacketTag.IssuerKeyId) == true ? unhashed.GetIssuerKeyId() : 0;
    }

    /// <summary>A v4 key id is the low 64 bits of the fingerprint.</summary>
    private static long KeyIdOf(byte[] fingerprint) =>
        fingerprint.Length < 8 ? 0 : BinaryPrimitives.ReadInt64BigEndian(fingerprint.AsSpan(fingerprint.Length - 8));

    private static SignatureSubpacketTag[] Understood(int signatureType) => signatureType switch
    {
        PgpSignature.DefaultCertification or PgpSignature.NoCertification or PgpSignature.CasualCertification
            or PgpSignature.PositiveCertification or PgpSignature.DirectKey => KeyBinding,
        PgpSignature.SubkeyBinding => SubkeyBinding,
        _ => Everywhere,
    };

    /// <summary>A notation's name (RFC 4880 §5.2.3.16: 4 flag bytes, name length, value length, name, value), printable.</summary>
    private static string NotationName(byte[] data)
    {
        if (data.Length < 8) return "(malformed)";
        int nameLength = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4)), valueLength = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(6));
        if (8 + nameLength + valueLength != data.Length) return "(malformed)";
        var name = Encoding.UTF8.GetString(data, 8, Math.Min(nameLength, 100));
        return string.Concat(name.Select(c => char.IsControl(c) ? '?' : c));
    }

    private static string Describe(SignatureSubpacketTag tag) =>
        Enum.IsDefined(tag) ? $"{tag} (type {(int)tag})" : $"type {(int)tag}";
}
