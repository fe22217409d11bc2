using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace BuildTrust.Testing.Ssh;

/// <summary>
/// An Ed25519 or RSA software key that signs in process, so tests can produce signatures ssh-keygen refuses
/// to make: SHA-1 RSA, a signature algorithm that does not match the key, a non-standard hash.
/// </summary>
public sealed class InProcessSshKey : ISigner, IDisposable
{
    private readonly byte[]? _ed25519Secret;
    private readonly RSA? _rsa;

    private InProcessSshKey(byte[]? ed25519Secret, RSA? rsa, string comment)
    {
        _ed25519Secret = ed25519Secret;
        _rsa = rsa;
        if (ed25519Secret is not null)
        {
            var publicKey = new byte[Ed25519.PublicKeySize];
            Ed25519.GeneratePublicKey(ed25519Secret, 0, publicKey, 0);
            PublicKeyBlob = new SshWireWriter().String("ssh-ed25519").String(publicKey).ToArray();
            KeyAlgorithm = "ssh-ed25519";
        }
        else
        {
            var p = rsa!.ExportParameters(false);
            PublicKeyBlob = new SshWireWriter().String("ssh-rsa").Mpint(p.Exponent).Mpint(p.Modulus).ToArray();
            KeyAlgorithm = "ssh-rsa";
        }
        PublicKeyLine = $"{KeyAlgorithm} {Convert.ToBase64String(PublicKeyBlob)} {comment}";
    }

    public static InProcessSshKey Ed25519Key(string comment = "in-process (TEST ONLY)") =>
        new(RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize), null, comment);

    public static InProcessSshKey RsaKey(int bits = 3072, string comment = "in-process (TEST ONLY)") =>
        new(null, RSA.Create(bits), comment);

    public string KeyAlgorithm { get; }

    public byte[] PublicKeyBlob { get; }

    public string PublicKeyLine { get; }

    public string Sign(byte[] message, string @namespace) =>
        Sign(message, @namespace, "sha512", _rsa is null ? "ssh-ed25519" : "rsa-sha2-512");

    /// <summary>Signs with a chosen hash and a chosen signature algorithm name (RSA: ssh-rsa means SHA-1).</summary>
    public string Sign(byte[] message, string @namespace, string hashAlgorithm, string signatureAlgorithm)
    {
        var data = SshSignatureWriter.SignedData(@namespace, hashAlgorithm, message);
        byte[] raw;
        if (_rsa is null)
        {
            raw = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(_ed25519Secret!, 0, data, 0, data.Length, raw, 0);
        }
        else
        {
            var hash = signatureAlgorithm switch
            {
                "ssh-rsa" => HashAlgorithmName.SHA1,
                "rsa-sha2-256" => HashAlgorithmName.SHA256,
                _ => HashAlgorithmName.SHA512,
            };
            raw = _rsa.SignData(data, hash, RSASignaturePadding.Pkcs1);
        }
        var blob = new SshWireWriter().String(signatureAlgorithm).String(raw).ToArray();
        return SshSignatureWriter.Armored(PublicKeyBlob, @namespace, hashAlgorithm, blob);
    }

    public void Dispose() => _rsa?.Dispose();
}
