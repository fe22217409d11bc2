using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BuildTrust.Testing.Attestation;

/// <summary>Turns test keys (an OpenSSH public key line, RSA parameters) into the BCL public keys certificates are issued for.</summary>
public static class PublicKeys
{
    public static PublicKey FromOpenSsh(string line)
    {
        var blob = Convert.FromBase64String(line.Split(' ')[1]);
        var fields = new List<byte[]>();
        for (var offset = 0; offset < blob.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(offset));
            fields.Add(blob.AsSpan(offset + 4, length).ToArray());
            offset += 4 + length;
        }
        var type = System.Text.Encoding.ASCII.GetString(fields[0]);
        if (type == "ssh-rsa") return FromRsa(fields[2], fields[1]);
        var curve = System.Text.Encoding.ASCII.GetString(fields[1]) switch
        {
            "nistp256" => ECCurve.NamedCurves.nistP256,
            "nistp384" => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        var point = fields[2];
        var size = (point.Length - 1) / 2;
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = point[1..(1 + size)], Y = point[(1 + size)..] } });
        return new PublicKey(ecdsa);
    }

    public static PublicKey FromRsa(byte[] modulus, byte[] exponent)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = modulus.SkipWhile(b => b == 0).ToArray(), Exponent = exponent });
        return new PublicKey(rsa);
    }
}
