using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// x509-attestation: a PIV/OpenPGP key attestation file (PEM or DER certificates) through
/// <see cref="KeyAttestationVerifier.ReadCertificates"/> and <see cref="KeyAttestationVerifier.Verify"/> against
/// the Yubico roots, with the key the seed chain attests as the policy key. Expected: <see cref="AttestationFormatException"/>.
/// </summary>
internal sealed class X509AttestationTarget(FuzzContext context) : IFuzzTarget
{
    private readonly IReadOnlyList<PublicKeyMaterial> _keys = [PublicKeyMaterial.FromSsh(SshPublicKey.Parse(context.Text("x509", "attested-key.pub")))];
    private readonly IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> _roots = context.AttestationRoots;

    public string Name => "x509-attestation";

    public string Description => "X.509 key attestation chain: read certificates, verify against the Yubico roots";

    public string Run(byte[] input)
    {
        try
        {
            var chain = KeyAttestationVerifier.ReadCertificates(input, "fuzz");
            var (result, _) = KeyAttestationVerifier.Verify(chain, _roots, _keys, FuzzContext.At);
            return result.Valid ? $"attested: {result.Properties}" : $"not attested: {result.Failure}";
        }
        catch (AttestationFormatException e)
        {
            return $"refused: {e.Message}";
        }
    }
}
