using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.OpenPgp;

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
        var primaryExpiry = selfSignature is null ? null : OpenPgpKeyState.Expiry(primary, selfSignature);
        var primaryFingerprint = OpenPgpAlgorithms.Fingerprint(primary);
        foreach (var key in ring.GetPublicKeys())
        {
            var fingerprint = OpenPgpAlgorithms.Fingerprint(key);
            string? refusal = OpenPgpAlgorithms.RefuseKey(key);
            DateTime? expiry = null;
            if (primaryRevoked) refusal ??= $"the key {primaryFingerprint} is revoked";
            if (selfSignature is null) refusal ??= "the primary key has no valid self-signature";
            if (key.IsMasterKey)
            {
                var flags = selfSignature is null ? 0 : OpenPgpKeyState.KeyFlags(selfSignature);
                if (flags != 0 && (flags & SignFlag) == 0) refusal ??= $"the primary key is not certified for signing (key flags 0x{flags:x2})";
            }
            else
            {
                var binding = OpenPgpKeyState.LatestBinding(primary, key);
                if (binding is null)
                {
                    refusal ??= $"subkey {fingerprint} is not bound to the primary key by a valid binding signature";
                }
                else
                {
                    var flags = OpenPgpKeyState.KeyFlags(binding);
                    if (OpenPgpKeyState.IsRevoked(primary, key)) refusal ??= $"subkey {fingerprint} is revoked";
                    if ((flags & SignFlag) == 0) refusal ??= $"subkey {fingerprint} is not certified for signing (key flags 0x{flags:x2})";
                    else if (!OpenPgpKeyState.HasValidBackSignature(binding, primary, key))
                        refusal ??= $"signing subkey {fingerprint} has no valid back-signature to its primary key";
                    expiry = OpenPgpKeyState.Expiry(key, binding);
                }
            }
            states[key.KeyId] = new SigningKeyState(key, fingerprint, OpenPgpAlgorithms.Describe(key), refusal, primaryExpiry, expiry);
        }
        return states;
    }
}
