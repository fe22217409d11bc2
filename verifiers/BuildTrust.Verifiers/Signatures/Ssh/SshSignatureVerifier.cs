using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>Verifies an SSHSIG signature over a message with a known key, as <c>ssh-keygen -Y verify</c> does.</summary>
public static class SshSignatureVerifier
{
    private static ReadOnlySpan<byte> Magic => "SSHSIG"u8;

    /// <summary>
    /// Checks namespace, hash, that the signature was made by exactly <paramref name="key"/> with an algorithm
    /// of that key type, and the signature itself. Throws <see cref="SshFormatException"/> for a malformed blob.
    /// Security-key flags are returned, not judged: presence and verification rules belong to the policy.
    /// </summary>
    public static SshSignatureVerification Verify(SshPublicKey key, SshSignature signature, ReadOnlySpan<byte> message, string requiredNamespace)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(signature);
        if (!key.Blob.SequenceEqual(signature.PublicKeyBlob))
            return SshSignatureVerification.Fail("the signature names a different public key");
        if (signature.Namespace != requiredNamespace)
            return SshSignatureVerification.Fail($"signature namespace is '{signature.Namespace}', expected '{requiredNamespace}'");
        byte[] messageHash = signature.HashAlgorithm switch
        {
            "sha256" => SHA256.HashData(message),
            "sha512" => SHA512.HashData(message),
            _ => [],
        };
        if (messageHash.Length == 0)
            return SshSignatureVerification.Fail($"signature hash '{signature.HashAlgorithm}' is not accepted (sha256 or sha512)");
        if (signature.SignatureAlgorithm == SshKeyAlgorithms.Rsa)
            return SshSignatureVerification.Fail("SHA-1 RSA signatures (ssh-rsa) are refused; sign with rsa-sha2-256 or rsa-sha2-512");
        if (!key.Material.AcceptsSignatureAlgorithm(signature.SignatureAlgorithm))
            return SshSignatureVerification.Fail($"signature algorithm '{signature.SignatureAlgorithm}' does not match the key type '{key.Algorithm}'");

        var reader = new SshWireReader(signature.SignatureBlob);
        reader.ReadAscii();
        var rawSignature = key.Material.ReadSignature(ref reader);
        SecurityKeyAssertion? assertion = null;
        if (key.IsSecurityKey)
        {
            var flags = reader.ReadByte();
            var counter = reader.ReadUInt32();
            assertion = new SecurityKeyAssertion(key.Application!, flags, counter);
        }
        reader.ExpectEnd("the signature blob");

        var signedData = BuildSignedData(requiredNamespace, signature.HashAlgorithm, messageHash);
        if (assertion is not null) signedData = BuildSecurityKeyData(assertion, signedData);
        return key.Material.Verify(signature.SignatureAlgorithm, rawSignature, signedData)
            ? new SshSignatureVerification(true, null, assertion)
            : SshSignatureVerification.Fail("the signature does not verify: the signed content was changed or the signature was made by another key", assertion);
    }

    private static byte[] BuildSignedData(string @namespace, string hashAlgorithm, byte[] messageHash)
    {
        var ns = Encoding.ASCII.GetBytes(@namespace);
        var hash = Encoding.ASCII.GetBytes(hashAlgorithm);
        var data = new byte[Magic.Length + 4 + ns.Length + 4 + 4 + hash.Length + 4 + messageHash.Length];
        var span = data.AsSpan();
        Magic.CopyTo(span);
        span = span[Magic.Length..];
        WriteString(ref span, ns);
        WriteString(ref span, []);
        WriteString(ref span, hash);
        WriteString(ref span, messageHash);
        return data;
    }

    /// <summary>What a FIDO authenticator signs: SHA-256(application) ‖ flags ‖ counter ‖ SHA-256(data).</summary>
    private static byte[] BuildSecurityKeyData(SecurityKeyAssertion assertion, byte[] signedData)
    {
        var data = new byte[32 + 1 + 4 + 32];
        SHA256.HashData(Encoding.ASCII.GetBytes(assertion.Application), data.AsSpan(0, 32));
        data[32] = assertion.Flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33, 4), assertion.Counter);
        SHA256.HashData(signedData, data.AsSpan(37, 32));
        return data;
    }

    private static void WriteString(ref Span<byte> destination, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value.Length);
        value.CopyTo(destination[4..]);
        destination = destination[(4 + value.Length)..];
    }
}
