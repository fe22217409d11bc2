namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>The parsed public key of one algorithm family; verifies raw signatures (no SSHSIG framing).</summary>
internal abstract class SshKeyMaterial
{
    /// <summary>Whether <paramref name="signatureAlgorithm"/> is a signature algorithm this key may produce.</summary>
    public abstract bool AcceptsSignatureAlgorithm(string signatureAlgorithm);

    /// <summary>Reads the algorithm-specific signature encoding; throws <see cref="SshFormatException"/> when malformed.</summary>
    public abstract byte[] ReadSignature(ref SshWireReader reader);

    public abstract bool Verify(string signatureAlgorithm, byte[] signature, ReadOnlySpan<byte> data);
}
