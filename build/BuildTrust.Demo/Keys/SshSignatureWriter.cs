using System.Security.Cryptography;
using System.Text;

namespace BuildTrust.Demo.Keys;

/// <summary>Produces armored PROTOCOL.sshsig signatures from raw parts, including deliberately wrong ones.</summary>
public static class SshSignatureWriter
{
    /// <summary>The blob a key signs for an SSHSIG over <paramref name="message"/>.</summary>
    public static byte[] SignedData(string @namespace, string hashAlgorithm, ReadOnlySpan<byte> message)
    {
        var hash = hashAlgorithm switch
        {
            "sha256" => SHA256.HashData(message),
            "sha512" => SHA512.HashData(message),
            "sha1" => SHA1.HashData(message),
            _ => throw new ArgumentException($"unknown hash {hashAlgorithm}", nameof(hashAlgorithm)),
        };
        return new SshWireWriter().Raw("SSHSIG"u8).String(@namespace).String(""u8).String(hashAlgorithm).String(hash).ToArray();
    }

    public static byte[] Binary(ReadOnlySpan<byte> publicKeyBlob, string @namespace, string hashAlgorithm, ReadOnlySpan<byte> signatureBlob) =>
        new SshWireWriter().Raw("SSHSIG"u8).UInt32(1).String(publicKeyBlob).String(@namespace).String(""u8).String(hashAlgorithm).String(signatureBlob).ToArray();

    public static string Armor(ReadOnlySpan<byte> binary)
    {
        var base64 = Convert.ToBase64String(binary);
        var text = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        for (var i = 0; i < base64.Length; i += 70) text.Append(base64.AsSpan(i, Math.Min(70, base64.Length - i))).Append('\n');
        return text.Append("-----END SSH SIGNATURE-----\n").ToString();
    }

    public static string Armored(ReadOnlySpan<byte> publicKeyBlob, string @namespace, string hashAlgorithm, ReadOnlySpan<byte> signatureBlob) =>
        Armor(Binary(publicKeyBlob, @namespace, hashAlgorithm, signatureBlob));
}
