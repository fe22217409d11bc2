using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.OpenPgp;

/// <summary>
/// Reads a key's state from its signatures, verifying each one before it counts: self-signatures (user-ID
/// certifications and direct-key signatures), subkey bindings with their embedded back-signatures, and
/// revocations. A signature that does not verify is ignored, never trusted.
/// </summary>
internal static class OpenPgpKeyState
{
    private static readonly int[] Certifications =
        [PgpSignature.DefaultCertification, PgpSignature.NoCertification, PgpSignature.CasualCertification, PgpSignature.PositiveCertification];

    public static bool HasValidSelfSignature(PgpPublicKey primary) => LatestSelfSignature(primary) is not null;

    /// <summary>The most recent valid self-signature of the primary key: its key flags and expiry are the key's current ones.</summary>
    public static PgpSignature? LatestSelfSignature(PgpPublicKey primary)
    {
        var valid = new List<PgpSignature>();
        foreach (var userId in primary.GetUserIds())
        {
            foreach (var signature in primary.GetSignaturesForId(userId) ?? [])
            {
                if (signature.KeyId == primary.KeyId && Certifications.Contains(signature.SignatureType) &&
                    Verifies(signature, primary, () => [.. KeyContent(primary), .. UserIdContent(userId)], s => s.VerifyCertification(userId, primary)))
                    valid.Add(signature);
            }
        }
        foreach (var signature in primary.GetSignaturesOfType(PgpSignature.DirectKey))
        {
            if (signature.KeyId == primary.KeyId && Verifies(signature, primary, () => KeyContent(primary), s => s.VerifyCertification(primary)))
                valid.Add(signature);
        }
        return valid.MaxBy(s => s.CreationTime);
    }

    public static bool IsRevoked(PgpPublicKey primary) =>
        primary.GetSignaturesOfType(PgpSignature.KeyRevocation)
            .Any(s => s.KeyId == primary.KeyId && Verifies(s, primary, () => KeyContent(primary), r => r.VerifyCertification(primary)));

    /// <summary>The most recent valid binding of <paramref name="subkey"/> to <paramref name="primary"/>.</summary>
    public static PgpSignature? LatestBinding(PgpPublicKey primary, PgpPublicKey subkey) =>
        subkey.GetSignaturesOfType(PgpSignature.SubkeyBinding)
            .Where(s => s.KeyId == primary.KeyId && Verifies(s, primary, () => [.. KeyContent(primary), .. KeyContent(subkey)], b => b.VerifyCertification(primary, subkey)))
            .MaxBy(s => s.CreationTime);

    public static bool IsRevoked(PgpPublicKey primary, PgpPublicKey subkey) =>
        subkey.GetSignaturesOfType(PgpSignature.SubkeyRevocation)
            .Any(s => s.KeyId == primary.KeyId && Verifies(s, primary, () => [.. KeyContent(primary), .. KeyContent(subkey)], r => r.VerifyCertification(primary, subkey)));

    /// <summary>A signing subkey must certify its primary back (RFC 4880 §5.2.1, 0x19), so nobody can claim another person's subkey.</summary>
    public static bool HasValidBackSignature(PgpSignature binding, PgpPublicKey primary, PgpPublicKey subkey)
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
                return false; // an embedded signature that does not even parse is no back-signature (found by fuzzing)
            }
            for (var i = 0; i < list.Count; i++) embedded.Add(list[i]);
        }
        return embedded.Any(s => s.SignatureType == PgpSignature.PrimaryKeyBinding &&
                                 Verifies(s, subkey, () => [.. KeyContent(primary), .. KeyContent(subkey)], b => b.VerifyCertification(primary, subkey)));
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

    public static int KeyFlags(PgpSignature selfSignature) => selfSignature.GetHashedSubPackets()?.GetKeyFlags() ?? 0;

    /// <summary>When the key stops being valid according to <paramref name="selfSignature"/>, or null for never.</summary>
    public static DateTime? Expiry(PgpPublicKey key, PgpSignature selfSignature)
    {
        var seconds = selfSignature.GetHashedSubPackets()?.GetKeyExpirationTime() ?? 0;
        return seconds <= 0 ? null : key.CreationTime.AddSeconds(seconds);
    }

    /// <param name="certifiedContent">What the signature certifies, hashed before its trailer (RFC 4880 §5.2.4): used for RSA through the BCL.</param>
    private static bool Verifies(PgpSignature signature, PgpPublicKey signer, Func<byte[]> certifiedContent, Func<PgpSignature, bool> verify)
    {
        try
        {
            // Certifications follow the same hash rule as data signatures: a SHA-1 binding could be forged by collision.
            if (OpenPgpAlgorithms.RefuseHash(signature.HashAlgorithm) is not null) return false;
            if (signature.Version == 4 && OpenPgpRsaVerifier.For(signer)?.Verify(signature, certifiedContent()) is { } rsa) return rsa;
            signature.InitVerify(signer);
            return verify(signature);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return false;
        }
    }
}
