using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// Verifies a detached OpenPGP signature over a message with a maintainer's key, as <c>gpg --verify</c>
/// does, but stricter: v4 only, binary signatures, SHA-256 or stronger, accepted key algorithms, the
/// subpacket rules of <see cref="OpenPgpSubpackets"/>, a signing key that is the primary (certified for
/// signing) or a subkey bound with a back-signature and certified for signing; not revoked; not expired at
/// the signature's creation time; and the signature not past its own expiration time when it is verified.
/// </summary>
public static class OpenPgpSignatureVerifier
{
    /// <summary>Verifies at the current time (which only the signature's own expiration time depends on).</summary>
    public static OpenPgpVerification Verify(OpenPgpKey key, OpenPgpSignature signature, byte[] message) =>
        Verify(key, signature, message, DateTimeOffset.UtcNow);

    /// <param name="verifiedAt">
    /// When the signature is judged for its own expiration time (subpacket 3), as gpg reports EXPSIG. The
    /// key's validity is judged at the signature's creation time instead, so that history stays verifiable
    /// after a key expires.
    /// </param>
    public static OpenPgpVerification Verify(OpenPgpKey key, OpenPgpSignature signature, byte[] message, DateTimeOffset verifiedAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(message);
        var packet = signature.Packet;
        if (!key.SigningKeys.TryGetValue(signature.KeyId, out var state))
            return OpenPgpVerification.Fail("the signature was made by a key that is not part of this key file", kind: OpenPgpFailure.UnknownKey);
        var signer = state.Key;
        OpenPgpVerification Fail(string failure, OpenPgpFailure kind = OpenPgpFailure.Refused) => OpenPgpVerification.Fail(failure, state.Fingerprint, state.KeyType, kind);

        if (packet.Version != 4) return Fail($"OpenPGP v{packet.Version} signatures are not supported (v4 only)");
        if (packet.SignatureType != PgpSignature.BinaryDocument) return Fail($"signature type 0x{packet.SignatureType:x2} is not a binary document signature");
        if (OpenPgpAlgorithms.RefuseHash(packet.HashAlgorithm) is { } hashRefusal) return Fail($"the signature {hashRefusal}");
        if (OpenPgpSubpackets.Refuse(packet) is { } subpacketRefusal) return Fail($"the signature {subpacketRefusal}");
        var issuer = packet.GetHashedSubPackets()?.GetIssuerFingerprint();
        if (issuer is not null && !issuer.GetFingerprint().AsSpan().SequenceEqual(signer.GetFingerprint()))
            return Fail("the signature's issuer fingerprint does not match the key with its key id");
        if (state.Refusal is not null) return Fail(state.Refusal);
        var signedAt = packet.CreationTime;
        if (state.PrimaryExpiry is { } primaryExpiry && signedAt > primaryExpiry)
            return Fail($"the key {key.Fingerprint} expired on {primaryExpiry:yyyy-MM-dd HH:mm:ss} UTC; the signature is dated {signedAt:yyyy-MM-dd HH:mm:ss} UTC", OpenPgpFailure.Expired);
        if (state.Expiry is { } expiry && signedAt > expiry)
            return Fail($"subkey {state.Fingerprint} expired on {expiry:yyyy-MM-dd HH:mm:ss} UTC; the signature is dated {signedAt:yyyy-MM-dd HH:mm:ss} UTC", OpenPgpFailure.Expired);
        if (signedAt < signer.CreationTime) return Fail("the signature is dated before its key was created");
        if (OpenPgpSubpackets.Expiry(packet) is { } signatureExpiry && verifiedAt.UtcDateTime >= signatureExpiry)
            return Fail($"the signature expired on {signatureExpiry:yyyy-MM-dd HH:mm:ss} UTC (its own expiration time; verified {verifiedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)", OpenPgpFailure.Expired);

        try
        {
            if (state.Rsa?.Verify(packet, message) is { } rsaValid)
            {
                return rsaValid
                    ? new OpenPgpVerification(true, null, state.Fingerprint, state.KeyType)
                    : Fail("the signature does not verify: the signed content was changed or the signature was made by another key", OpenPgpFailure.Bad);
            }
            packet.InitVerify(signer);
            packet.Update(message);
            return packet.Verify()
                ? new OpenPgpVerification(true, null, state.Fingerprint, state.KeyType)
                : Fail("the signature does not verify: the signed content was changed or the signature was made by another key", OpenPgpFailure.Bad);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return Fail($"the signature cannot be checked: {e.Message}", OpenPgpFailure.Bad);
        }
    }
}
