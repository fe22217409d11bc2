using Org.BouncyCastle.Math.EC.Rfc8032;

namespace BuildTrust.Verifiers.Signatures.Ssh;

internal sealed class Ed25519KeyMaterial : SshKeyMaterial
{
    private readonly string _signatureAlgorithm;
    private readonly Ed25519.PublicPoint _point;

    public Ed25519KeyMaterial(string signatureAlgorithm, ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Ed25519.PublicKeySize) throw new SshFormatException($"an Ed25519 public key has {Ed25519.PublicKeySize} bytes, not {publicKey.Length}");
        _signatureAlgorithm = signatureAlgorithm;
        _point = Ed25519.ValidatePublicKeyFullExport(publicKey.ToArray(), 0)
            ?? throw new SshFormatException("the Ed25519 public key is not a valid curve point");
    }

    public override bool AcceptsSignatureAlgorithm(string signatureAlgorithm) => signatureAlgorithm == _signatureAlgorithm;

    public override byte[] ReadSignature(ref SshWireReader reader)
    {
        var signature = reader.ReadString();
        if (signature.Length != Ed25519.SignatureSize) throw new SshFormatException($"an Ed25519 signature has {Ed25519.SignatureSize} bytes, not {signature.Length}");
        return signature.ToArray();
    }

    public override bool Verify(string signatureAlgorithm, byte[] signature, ReadOnlySpan<byte> data)
    {
        var message = data.ToArray();
        return Ed25519.Verify(signature, 0, _point, message, 0, message.Length);
    }
}
