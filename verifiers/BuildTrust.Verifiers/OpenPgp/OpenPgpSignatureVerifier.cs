using System.Security.Cryptography;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.OpenPgp;

/// <summary>
/// Verifies a detached OpenPGP signature over a message with a maintainer's key, as <c>gpg --verify</c>
/// does, but stricter: v4 only, binary signatures, SHA-256 or stronger, accepted key algorithms, a signing
/// key that is the primary (certified for signing) or a subkey bound with a back-signature and certified
/// for signing; not revoked; not expired at the signature's creation time.
/// </summary>
public static class OpenPgpSignatureVerifier
{
    public static OpenPgpVerification Verify(OpenPgpKey key, OpenPgpSignature signature, byte[] message)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(message);
        var packet = signature.Packet;
        if (!key.SigningKeys.TryGetValue(packet.KeyId, out var state))
            return OpenPgpVerification.Fail("the signature was made by a key that is not part of this key file");
        var signer = state.Key;
        OpenPgpVerification Fail(string failure) => OpenPgpVerification.Fail(failure, state.Fingerprint, state.KeyType);

        var issuer = packet.GetHashedSubPackets()?.GetIssuerFingerprint();
        if (issuer is not null && !issuer.GetFingerprint().AsSpan().SequenceEqual(signer.GetFingerprint()))
            return Fail("the signature's issuer fingerprint does not match the key with its key id");
        if (packet.Version != 4) return Fail($"OpenPGP v{packet.Version} signatures are not supported (v4 only)");
        if (packet.SignatureType != PgpSignature.BinaryDocument) return Fail($"signature type 0x{packet.SignatureType:x2} is not a binary document signature");
        if (OpenPgpAlgorithms.RefuseHash(packet.HashAlgorithm) is { } hashRefusal) return Fail(hashRefusal);
        if (state.Refusal is not null) return Fail(state.Refusal);
        var signedAt = packet.CreationTime;
        if (state.PrimaryExpiry is { } primaryExpiry && signedAt > primaryExpiry)
            return Fail($"the key {key.Fingerprint} expired on {primaryExpiry:yyyy-MM-dd}; the signature is dated {signedAt:yyyy-MM-dd}");
        if (state.Expiry is { } expiry && signedAt > expiry)
            return Fail($"subkey {state.Fingerprint} expired on {expiry:yyyy-MM-dd}; the signature is dated {signedAt:yyyy-MM-dd}");
        if (signedAt < signer.CreationTime) return Fail("the signature is dated before its key was created");

        try
        {
            if (state.Rsa?.Verify(packet, message) is { } rsaValid)
            {
                return rsaValid
                    ? new OpenPgpVerification(true, null, state.Fingerprint, state.KeyType)
                    : Fail("the signature does not verify: the signed content was changed or the signature was made by another key");
            }
            packet.InitVerify(signer);
            packet.Update(message);
            return packet.Verify()
                ? new OpenPgpVerification(true, null, state.Fingerprint, state.KeyType)
                : Fail("the signature does not verify: the signed content was changed or the signature was made by another key");
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return Fail($"the signature cannot be checked: {e.Message}");
        }
    }
}
