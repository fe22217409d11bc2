using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// fido-attestation: an <c>ssh-sk-attest-v01</c> enrollment file through <see cref="FidoEnrollmentAttestation.Verify"/>
/// for each seed security key (P-256 and Ed25519 YubiKey registrations) and its challenge, against the Yubico
/// FIDO root. Expected: <see cref="AttestationFormatException"/>.
/// </summary>
internal sealed class FidoAttestationTarget(FuzzContext context) : IFuzzTarget
{
    private readonly IReadOnlyList<(SshPublicKey Key, byte[] Challenge)> _enrollments =
        [.. new[] { "yubikey-p256", "yubikey-ed25519" }.Select(n => (SshPublicKey.Parse(context.Text("fido", n + ".pub")), context.Bytes("fido", n + ".challenge")))];

    private readonly IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> _roots = context.AttestationRoots;

    public string Name => "fido-attestation";

    public string Description => "FIDO enrollment attestation (ssh-sk-attest-v01): verify for each seed security key";

    public string Run(byte[] input)
    {
        var outcomes = new List<string>();
        foreach (var (key, challenge) in _enrollments)
        {
            try
            {
                var result = FidoEnrollmentAttestation.Verify(input, challenge, key, _roots, FuzzContext.At);
                outcomes.Add(result.Valid ? $"attested ({result.Properties})" : $"not attested: {result.Failure}");
            }
            catch (AttestationFormatException e)
            {
                outcomes.Add($"refused: {e.Message}");
            }
        }
        return string.Join("; ", outcomes);
    }
}
