using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace BuildTrust.Demo.Keys;

/// <summary>
/// TEST AND DEMO ONLY. A software stand-in for a FIDO security key: it produces sk-ssh-ed25519 and
/// sk-ecdsa-sha2-nistp256 signatures in exactly the format a real authenticator does (PROTOCOL.u2f), with
/// chosen flags and counter. It proves nothing about hardware; that is the point of enrollment attestation.
/// </summary>
public sealed class SoftwareFidoAuthenticator : ISigner, IDisposable
{
    public const byte UserPresent = 0x01;
    public const byte UserVerified = 0x04;

    private readonly SecurityKeyType _type;
    private readonly byte[]? _ed25519Secret;
    private readonly ECDsa? _ecdsa;
    private readonly string _application;
    private uint _counter;

    private SoftwareFidoAuthenticator(SecurityKeyType type, string application, string comment, uint counter)
    {
        _type = type;
        _application = application;
        _counter = counter;
        Comment = comment;
        var writer = new SshWireWriter().String(KeyAlgorithm);
        if (type == SecurityKeyType.Ed25519)
        {
            _ed25519Secret = RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize);
            var publicKey = new byte[Ed25519.PublicKeySize];
            Ed25519.GeneratePublicKey(_ed25519Secret, 0, publicKey, 0);
            writer.String(publicKey);
        }
        else
        {
            _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var q = _ecdsa.ExportParameters(false).Q;
            writer.String("nistp256").String([0x04, .. q.X!, .. q.Y!]);
        }
        PublicKeyBlob = writer.String(application).ToArray();
    }

    public static SoftwareFidoAuthenticator Create(SecurityKeyType type, string comment = "software-authenticator (TEST ONLY)", string application = "ssh:", uint counter = 0) =>
        new(type, application, comment, counter);

    public string KeyAlgorithm => _type == SecurityKeyType.Ed25519 ? "sk-ssh-ed25519@openssh.com" : "sk-ecdsa-sha2-nistp256@openssh.com";

    public byte[] PublicKeyBlob { get; }

    public string Comment { get; }

    public string PublicKeyLine => $"{KeyAlgorithm} {Convert.ToBase64String(PublicKeyBlob)} {Comment}";

    /// <summary>Flags used by <see cref="Sign(byte[], string)"/>: user present unless changed.</summary>
    public byte DefaultFlags { get; set; } = UserPresent;

    public string Sign(byte[] message, string @namespace) => Sign(message, @namespace, DefaultFlags);

    public string Sign(byte[] message, string @namespace, byte flags, string hashAlgorithm = "sha256")
    {
        var counter = Interlocked.Increment(ref _counter);
        var signatureBlob = SignatureBlob(SshSignatureWriter.SignedData(@namespace, hashAlgorithm, message), flags, counter);
        return SshSignatureWriter.Armored(PublicKeyBlob, @namespace, hashAlgorithm, signatureBlob);
    }

    /// <summary>The sk signature blob over <paramref name="data"/>: type, signature, flags, counter.</summary>
    public byte[] SignatureBlob(byte[] data, byte flags, uint counter)
    {
        var assertion = new SshWireWriter()
            .Raw(SHA256.HashData(Encoding.ASCII.GetBytes(_application)))
            .Byte(flags)
            .UInt32(counter)
            .Raw(SHA256.HashData(data))
            .ToArray();
        var writer = new SshWireWriter().String(KeyAlgorithm);
        if (_type == SecurityKeyType.Ed25519)
        {
            var signature = new byte[Ed25519.SignatureSize];
            Ed25519.Sign(_ed25519Secret!, 0, assertion, 0, assertion.Length, signature, 0);
            writer.String(signature);
        }
        else
        {
            var rs = _ecdsa!.SignData(assertion, HashAlgorithmName.SHA256);
            writer.String(new SshWireWriter().Mpint(rs.AsSpan(0, 32)).Mpint(rs.AsSpan(32, 32)).ToArray());
        }
        return writer.Byte(flags).UInt32(counter).ToArray();
    }

    public void Dispose() => _ecdsa?.Dispose();
}
