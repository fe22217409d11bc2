using System.Security.Cryptography;

namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>ECDSA over NIST P-256/384/521 with the hash OpenSSH pairs with each curve (RFC 5656 §6.2.1).</summary>
internal sealed class EcdsaKeyMaterial : SshKeyMaterial
{
    private readonly string _signatureAlgorithm;
    private readonly HashAlgorithmName _hash;
    private readonly int _fieldBytes;
    private readonly ECParameters _parameters;
    private readonly ThreadLocal<ECDsa> _ecdsa;

    private EcdsaKeyMaterial(string signatureAlgorithm, ECCurve curve, HashAlgorithmName hash, int fieldBytes, ReadOnlySpan<byte> point)
    {
        _signatureAlgorithm = signatureAlgorithm;
        _hash = hash;
        _fieldBytes = fieldBytes;
        if (point.Length != 1 + 2 * fieldBytes || point[0] != 0x04)
            throw new SshFormatException("the ECDSA public key is not an uncompressed point of its curve");
        _parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = point.Slice(1, fieldBytes).ToArray(), Y = point.Slice(1 + fieldBytes, fieldBytes).ToArray() },
        };
        try
        {
            using var probe = ECDsa.Create(_parameters);
        }
        catch (CryptographicException)
        {
            throw new SshFormatException("the ECDSA public key is not a point on its curve");
        }
        _ecdsa = new ThreadLocal<ECDsa>(() => ECDsa.Create(_parameters));
    }

    /// <summary>Reads the curve name and point that follow the key type in a key blob.</summary>
    public static EcdsaKeyMaterial Read(string signatureAlgorithm, string expectedCurve, ref SshWireReader reader)
    {
        var curveName = reader.ReadAscii();
        if (curveName != expectedCurve) throw new SshFormatException($"key type names curve {expectedCurve} but the key holds {curveName}");
        var point = reader.ReadString();
        return expectedCurve switch
        {
            "nistp256" => new EcdsaKeyMaterial(signatureAlgorithm, ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, 32, point),
            "nistp384" => new EcdsaKeyMaterial(signatureAlgorithm, ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 48, point),
            "nistp521" => new EcdsaKeyMaterial(signatureAlgorithm, ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, 66, point),
            _ => throw new SshFormatException($"unsupported curve {expectedCurve}"),
        };
    }

    public override bool AcceptsSignatureAlgorithm(string signatureAlgorithm) => signatureAlgorithm == _signatureAlgorithm;

    /// <summary>The signature is a string holding mpint r and mpint s; it is returned as fixed-width r‖s.</summary>
    public override byte[] ReadSignature(ref SshWireReader reader)
    {
        var inner = new SshWireReader(reader.ReadString());
        var r = inner.ReadPositiveMpint();
        var s = inner.ReadPositiveMpint();
        inner.ExpectEnd("the ECDSA signature");
        if (r.Length > _fieldBytes || s.Length > _fieldBytes) throw new SshFormatException("an ECDSA signature component is longer than the curve order");
        var fixedWidth = new byte[2 * _fieldBytes];
        r.CopyTo(fixedWidth.AsSpan(_fieldBytes - r.Length));
        s.CopyTo(fixedWidth.AsSpan(2 * _fieldBytes - s.Length));
        return fixedWidth;
    }

    public override bool Verify(string signatureAlgorithm, byte[] signature, ReadOnlySpan<byte> data) =>
        _ecdsa.Value!.VerifyData(data, signature, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
