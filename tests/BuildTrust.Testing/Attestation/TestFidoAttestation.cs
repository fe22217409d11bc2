using System.Security.Cryptography;
using System.Text;
using BuildTrust.Testing.Ssh;

namespace BuildTrust.Testing.Attestation;

/// <summary>
/// TEST ONLY. Writes the file <c>ssh-keygen -O write-attestation=</c> produces (<c>ssh-sk-attest-v01</c>) for a
/// software authenticator's key, as a genuine security key model certified by <see cref="TestAttestationCa"/> would.
/// </summary>
public static class TestFidoAttestation
{
    /// <param name="u2f">Sign as an old U2F-only key does (libfido2's "fido-u2f" statement), for P-256 credentials.</param>
    public static byte[] Create(SoftwareFidoAuthenticator authenticator, TestAttestationCa ca, byte[] challenge, string application = "ssh:", byte[]? credentialOverride = null, bool u2f = false)
    {
        using var attestationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = ca.IssueFidoCertificate(attestationKey);
        var credentialId = RandomNumberGenerator.GetBytes(16);
        var authenticatorData = AuthenticatorData(credentialOverride ?? Cose(authenticator.PublicKeyBlob), application, credentialId);
        byte[] signed = u2f
            ? [0x00, .. SHA256.HashData(Encoding.UTF8.GetBytes(application)), .. SHA256.HashData(challenge), .. credentialId, .. Fields(authenticator.PublicKeyBlob)[2]]
            : [.. authenticatorData, .. SHA256.HashData(challenge)];
        var signature = attestationKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return new SshWireWriter()
            .String("ssh-sk-attest-v01")
            .String(certificate)
            .String(signature)
            .String(CborBytes(authenticatorData))
            .UInt32(0)
            .String(""u8)
            .ToArray();
    }

    /// <summary>The COSE key of an authenticator's credential (EC2 P-256 or OKP Ed25519).</summary>
    public static byte[] Cose(byte[] sshKeyBlob)
    {
        var fields = Fields(sshKeyBlob);
        if (Encoding.ASCII.GetString(fields[0]) == "sk-ssh-ed25519@openssh.com")
            return [0xA4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, .. CborBytes(fields[1])];
        var point = fields[2];
        return [0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, .. CborBytes(point[1..33]), 0x22, .. CborBytes(point[33..65])];
    }

    private static byte[] AuthenticatorData(byte[] cose, string application, byte[] credentialId)
    {
        var aaguid = Guid.Parse("00000000-0000-4000-8000-0000000b7e57").ToByteArray(bigEndian: true);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(application)), 0x41, 0, 0, 0, 0, .. aaguid, 0, (byte)credentialId.Length, .. credentialId, .. cose];
    }

    private static byte[] CborBytes(byte[] value) => value.Length switch
    {
        < 24 => [(byte)(0x40 + value.Length), .. value],
        < 256 => [0x58, (byte)value.Length, .. value],
        _ => [0x59, (byte)(value.Length >> 8), (byte)(value.Length & 0xff), .. value],
    };

    private static List<byte[]> Fields(byte[] blob)
    {
        var fields = new List<byte[]>();
        for (var offset = 0; offset < blob.Length;)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(offset));
            fields.Add(blob.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }
        return fields;
    }
}
