using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// What a key file says about one of its keys, worked out once when the policy is loaded: whether it may
/// make signatures (and if not, why), and until when.
/// </summary>
internal sealed record SigningKeyState(PgpPublicKey Key, string Fingerprint, string KeyType, string? Refusal, DateTime? PrimaryExpiry, DateTime? Expiry)
{
    /// <summary>
    /// For RSA keys, a verifier built once: BouncyCastle re-validates the modulus (a primality test) every
    /// time a signature is initialised, about 45 ms for RSA-3072, so RSA goes through the BCL instead.
    /// </summary>
    public OpenPgpRsaVerifier? Rsa { get; } = OpenPgpRsaVerifier.For(Key);

    private const int SignFlag = 0x02;

    public static IReadOnlyDictionary<long, SigningKeyState> Evaluate(PgpPublicKeyRing ring, PgpPublicKey primary)
    {
        var states = new Dictionary<long, SigningKeyState>();
        var primaryRevoked = OpenPgpKeyState.IsRevoked(primary);
        var selfSignature = OpenPgpKeyState.LatestSelfSignature(primary);
        var primaryExpiry = selfSignature.Signature is null ? null : OpenPgpKeyState.Expiry(primary, selfSignature.Signature);
        var primaryFingerprint = OpenPgpAlgorithms.Fingerprint(primary);
        foreach (var key in ring.GetPublicKeys())
        {
            var fingerprint = OpenPgpAlgorithms.Fingerprint(key);
            string? refusal = OpenPgpAlgorithms.RefuseKey(key);
            DateTime? expiry = null;
            if (primaryRevoked) refusal ??= $"the key {primaryFingerprint} is revoked";
            if (selfSignature.Signature is null) refusal ??= $"the primary key has no valid self-signature: {selfSignature.Refusal}";
            if (key.IsMasterKey)
            {
                var flags = selfSignature.Signature is null ? 0 : OpenPgpKeyState.KeyFlags(selfSignature.Signature);
                if (flags != 0 && (flags & SignFlag) == 0) refusal ??= $"the primary key is not certified for signing (key flags 0x{flags:x2})";
            }
            else
            {
                if (OpenPgpKeyState.IsRevoked(primary, key)) refusal ??= $"subkey {fingerprint} is revoked";
                var binding = OpenPgpKeyState.LatestBinding(primary, key);
                if (binding.Signature is null)
                {
                    refusal ??= $"subkey {fingerprint} is not bound to the primary key by a valid binding signature: {binding.Refusal}";
                }
                else
                {
                    var flags = OpenPgpKeyState.KeyFlags(binding.Signature);
                    expiry = OpenPgpKeyState.Expiry(key, binding.Signature);
                    if ((flags & SignFlag) == 0)
                    {
                        refusal ??= $"subkey {fingerprint} is not certified for signing (key flags 0x{flags:x2})";
                    }
                    else
                    {
                        var back = OpenPgpKeyState.BackSignature(binding.Signature, primary, key);
                        if (back.Signature is null) refusal ??= $"signing subkey {fingerprint} has no valid back-signature to its primary key: {back.Refusal}";
                        else expiry = OpenPgpKeyState.Earliest(expiry, OpenPgpSubpackets.Expiry(back.Signature));
                    }
                }
            }
            states[key.KeyId] = new SigningKeyState(key, fingerprint, OpenPgpAlgorithms.Describe(key), refusal, primaryExpiry, expiry);
        }
        return states;
    }
}
