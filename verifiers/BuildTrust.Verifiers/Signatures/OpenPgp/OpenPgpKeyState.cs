using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// Reads a key's state from its signatures, verifying each one before it counts: self-signatures (user-ID
/// certifications and direct-key signatures), subkey bindings with their embedded back-signatures, and
/// revocations. A certification counts only when it verifies, is v4, uses SHA-256 or stronger and passes
/// <see cref="OpenPgpSubpackets"/>; a signature that does not count is never trusted. Revocations are the
/// exception on purpose: one that verifies counts whatever its hash or subpackets, since honouring it can
/// only refuse more.
/// </summary>
internal static class OpenPgpKeyState
{
    private static readonly int[] Certifications =
        [PgpSignature.DefaultCertification, PgpSignature.NoCertification, PgpSignature.CasualCertification, PgpSignature.PositiveCertification];

    /// <summary>
    /// The most recent self-signature that counts (its key flags and expiry are the key's current ones):
    /// user-ID certifications of user IDs that are not revoked, and direct-key signatures.
    /// </summary>
    public static Certification LatestSelfSignature(PgpPublicKey primary)
    {
        var checkedSignatures = new List<(PgpSignature, string?)>();
        foreach (var userId in primary.GetUserIds())
        {
            byte[] Certified() => [.. KeyContent(primary), .. UserIdContent(userId)];
            var revoked = primary.GetSignaturesForId(userId)?.Any(s => s.SignatureType == PgpSignature.CertificationRevocation &&
                Verifies(s, primary, Certified, r => r.VerifyCertification(userId, primary))) == true;
            foreach (var signature in primary.GetSignaturesForId(userId) ?? [])
            {
                if (!Certifications.Contains(signature.SignatureType) || OpenPgpSubpackets.IssuerKeyId(signature) != primary.KeyId) continue;
                var refusal = revoked
                    ? $"certifies a revoked user ID '{Printable(userId)}'"
                    : Check(signature, primary, Certified, s => s.VerifyCertification(userId, primary));
                checkedSignatures.Add((signature, refusal));
            }
        }
        foreach (var signature in primary.GetSignaturesOfType(PgpSignature.DirectKey))
        {
            if (OpenPgpSubpackets.IssuerKeyId(signature) == primary.KeyId)
                checkedSignatures.Add((signature, Check(signature, primary, () => KeyContent(primary), s => s.VerifyCertification(primary))));
        }
        return Certification.Choose(checkedSignatures);
    }

    /// <summary>Whether the primary key signed its own revocation (issuer subpackets are not needed: the signature itself is checked).</summary>
    public static bool IsRevoked(PgpPublicKey primary) =>
        primary.GetSignaturesOfType(PgpSignature.KeyRevocation)
            .Any(s => Verifies(s, primary, () => KeyContent(primary), r => r.VerifyCertification(primary)));

    /// <summary>The most recent binding of <paramref name="subkey"/> to <paramref name="primary"/> that counts.</summary>
    public static Certification LatestBinding(PgpPublicKey primary, PgpPublicKey subkey) =>
        Certification.Choose(subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding)
            .Where(s => OpenPgpSubpackets.IssuerKeyId(s) == primary.KeyId)
            .Select(s => (s, Check(s, primary, () => [.. KeyContent(primary), .. KeyContent(subkey)], b => b.VerifyCertification(primary, subkey))))
            .ToList());

    public static bool IsRevoked(PgpPublicKey primary, PgpPublicKey subkey) =>
        subkey.GetSignaturesOfType(PgpSignature.SubkeyRevocation)
            .Any(s => Verifies(s, primary, () => [.. KeyContent(primary), .. KeyContent(subkey)], r => r.VerifyCertification(primary, subkey)));

    /// <summary>
    /// A signing subkey must certify its primary back (RFC 4880 §5.2.1, 0x19), so nobody can claim another
    /// person's subkey. The back-signature is embedded in the binding, in either area: it authenticates itself.
    /// </summary>
    public static Certification BackSignature(PgpSignature binding, PgpPublicKey primary, PgpPublicKey subkey)
    {
        var embedded = new List<PgpSignature>();
        foreach (var vector in new[] { binding.GetHashedSubPackets(), binding.GetUnhashedSubPackets() })
        {
            if (vector is null) continue;
            PgpSignatureList list;
            try
            {
                list = vector.GetEmbeddedSignatures();
            }
            catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
            {
                continue; // an embedded signature that does not even parse is no back-signature (found by fuzzing)
            }
            for (var i = 0; i < list.Count; i++) embedded.Add(list[i]);
        }
        return Certification.Choose(embedded
            .Where(s => s.SignatureType == PgpSignature.PrimaryKeyBinding)
            .Select(s => (s, Check(s, subkey, () => [.. KeyContent(primary), .. KeyContent(subkey)], b => b.VerifyCertification(primary, subkey))))
            .ToList());
    }

    public static int KeyFlags(PgpSignature selfSignature) => selfSignature.GetHashedSubPackets()?.GetKeyFlags() ?? 0;

    /// <summary>
    /// When the key stops being valid according to <paramref name="selfSignature"/>: its key expiration time,
    /// or earlier when the self-signature itself expires (subpacket 3). Null for never.
    /// </summary>
    public static DateTime? Expiry(PgpPublicKey key, PgpSignature selfSignature)
    {
        var seconds = selfSignature.GetHashedSubPackets()?.GetKeyExpirationTime() ?? 0;
        DateTime? keyExpiry = seconds <= 0 ? null : key.CreationTime.AddSeconds(seconds);
        return Earliest(keyExpiry, OpenPgpSubpackets.Expiry(selfSignature));
    }

    public static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>Null when the certification counts; otherwise why not, as a phrase.</summary>
    private static string? Check(PgpSignature signature, PgpPublicKey signer, Func<byte[]> certifiedContent, Func<PgpSignature, bool> verify)
    {
        if (!Verifies(signature, signer, certifiedContent, verify)) return Certification.DoesNotVerify;
        if (signature.Version != 4) return $"is a v{signature.Version} signature (v4 only)";
        return OpenPgpAlgorithms.RefuseHash(signature.HashAlgorithm) ?? OpenPgpSubpackets.Refuse(signature);
    }

    /// <summary>Whether the signature is mathematically valid, whatever its hash (the rules on hashes are applied by the caller).</summary>
    /// <param name="certifiedContent">What the signature certifies, hashed before its trailer (RFC 4880 §5.2.4): used for RSA through the BCL.</param>
    private static bool Verifies(PgpSignature signature, PgpPublicKey signer, Func<byte[]> certifiedContent, Func<PgpSignature, bool> verify)
    {
        try
        {
            if (signature.Version == 4 && OpenPgpRsaVerifier.For(signer)?.Verify(signature, certifiedContent()) is { } rsa) return rsa;
            signature.InitVerify(signer);
            return verify(signature);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return false;
        }
    }

    /// <summary>A key as hashed in certifications: 0x99, two-byte length, the public key packet body.</summary>
    private static byte[] KeyContent(PgpPublicKey key)
    {
        var body = key.PublicKeyPacket.GetEncodedContents();
        var length = new byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)body.Length));
        return [0x99, .. length, .. body];
    }

    /// <summary>A user ID as hashed in v4 certifications: 0xB4, four-byte length, the UTF-8 bytes.</summary>
    private static byte[] UserIdContent(string userId)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(userId);
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        return [0xB4, .. length, .. bytes];
    }

    private static string Printable(string text) => string.Concat(text.Take(100).Select(c => char.IsControl(c) ? '?' : c));
}
