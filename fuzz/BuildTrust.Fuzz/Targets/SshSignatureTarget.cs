using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// sshsig: the binary SSHSIG blob, armored here, through <see cref="SshSignature.Parse"/>, then the embedded
/// key and <see cref="SshSignatureVerifier.Verify"/> (what a commit signature or review approval reaches once
/// its key is found in the policy). The signature's own namespace is required, so mutated namespaces still
/// reach the blob parsing. Expected: <see cref="SshFormatException"/>.
/// </summary>
internal sealed class SshSignatureTarget(FuzzContext context) : IFuzzTarget
{
    private readonly byte[] _message = context.Message;

    public string Name => "sshsig";

    public string Description => "SSHSIG blob (armored by the target): parse, embedded key, verify";

    public string Run(byte[] input)
    {
        try
        {
            var signature = SshSignature.Parse(Armor.Wrap(input, SshSignature.ArmorBegin, SshSignature.ArmorEnd));
            var key = SshPublicKey.FromBlob(signature.PublicKeyBlob);
            var result = SshSignatureVerifier.Verify(key, signature, _message, signature.Namespace);
            return result.IsValid ? $"valid {signature.SignatureAlgorithm} signature" : $"invalid: {result.Failure}";
        }
        catch (SshFormatException e)
        {
            return $"refused: {e.Message}";
        }
    }
}
