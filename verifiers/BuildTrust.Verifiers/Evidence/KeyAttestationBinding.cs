using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.Ssh;
using Org.BouncyCastle.X509;

namespace BuildTrust.Verifiers.Evidence;

/// <summary>
/// Binds a policy key to its hardware evidence, judged at an explicit time: the time of the commit or release the policy
/// decides about, so re-auditing an old release gives the same answer years later (a certificate that expired since does
/// not turn an old decision around, and one that was not yet valid then does not count).
/// </summary>
public static class KeyAttestationBinding
{
    /// <summary>
    /// The key with its evidence: a security key's enrollment attestation (its challenge given), or a certificate chain
    /// (PIV, OpenPGP card) whose attested public key must be the policy key itself. Throws
    /// <see cref="AttestationFormatException"/> for files that do not parse; evidence that parses but does not hold is
    /// recorded in the result (and fails the commits signed with that key), not thrown.
    /// </summary>
    public static MaintainerKey Bind(MaintainerKey key, byte[] attestation, string attestationPath, byte[]? challenge, IReadOnlyList<X509Certificate> roots, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(key);
        var when = at.UtcDateTime;
        if (key.Ssh is { IsSecurityKey: true } securityKey)
        {
            var enrollment = FidoEnrollmentAttestation.Verify(attestation, challenge!, securityKey, roots, when);
            return key with { Attestation = enrollment, AttestedKeyFingerprint = securityKey.Fingerprint };
        }
        var chain = KeyAttestationVerifier.ReadCertificates(attestation, attestationPath);
        var candidates = key.Ssh is not null
            ? [(Material: PublicKeyMaterial.FromSsh(key.Ssh), Fingerprint: key.Ssh.Fingerprint)]
            : key.OpenPgp!.Ring.GetPublicKeys().Select(k => (Material: PublicKeyMaterial.FromOpenPgp(k), Fingerprint: Convert.ToHexString(k.GetFingerprint()))).ToList();
        var (result, index) = KeyAttestationVerifier.Verify(chain, roots, candidates.Select(c => c.Material).ToList(), when);
        return key with { Attestation = result, AttestedKeyFingerprint = index >= 0 ? candidates[index].Fingerprint : null };
    }
}
