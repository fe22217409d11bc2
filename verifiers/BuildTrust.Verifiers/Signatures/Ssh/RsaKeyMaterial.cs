using System.Security.Cryptography;

namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>RSA keys verify only rsa-sha2-256 and rsa-sha2-512 (RFC 8332); SHA-1 "ssh-rsa" signatures are refused.</summary>
internal sealed class RsaKeyMaterial : SshKeyMaterial
{
    private readonly RSAParameters _parameters;
    private readonly int _modulusBytes;
    private readonly ThreadLocal<RSA> _rsa;

    public RsaKeyMaterial(ref SshWireReader reader)
    {
        var exponent = reader.ReadPositiveMpint();
        var modulus = reader.ReadPositiveMpint();
        if (modulus.IsEmpty || exponent.IsEmpty) throw new SshFormatException("the RSA key has an empty modulus or exponent");
        var bits = (modulus.Length - 1) * 8 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]));
        if (bits < SshKeyAlgorithms.MinimumRsaBits) throw new SshFormatException($"the RSA key has {bits} bits; at least {SshKeyAlgorithms.MinimumRsaBits} are required");
        if (bits > SshKeyAlgorithms.MaximumRsaBits) throw new SshFormatException($"the RSA key has {bits} bits; at most {SshKeyAlgorithms.MaximumRsaBits} are accepted");
        _modulusBytes = modulus.Length;
        _parameters = new RSAParameters { Exponent = exponent.ToArray(), Modulus = modulus.ToArray() };
        // The crypto library refuses some keys (an even or oversized exponent) only when the key is first used:
        // import once here, so such a key is a malformed key when it is read, not a crash when a signature is checked.
        try
        {
            using var probe = Import(_parameters);
        }
        catch (CryptographicException e)
        {
            throw new SshFormatException($"the RSA key is not usable: {e.Message}");
        }
        _rsa = new ThreadLocal<RSA>(() => Import(_parameters));
    }

    private static RSA Import(RSAParameters parameters)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public override bool AcceptsSignatureAlgorithm(string signatureAlgorithm) =>
        signatureAlgorithm is SshKeyAlgorithms.RsaSha256 or SshKeyAlgorithms.RsaSha512;

    public override byte[] ReadSignature(ref SshWireReader reader)
    {
        var signature = reader.ReadString();
        if (signature.Length > _modulusBytes) throw new SshFormatException("the RSA signature is longer than the modulus");
        var padded = new byte[_modulusBytes];
        signature.CopyTo(padded.AsSpan(_modulusBytes - signature.Length));
        return padded;
    }

    public override bool Verify(string signatureAlgorithm, byte[] signature, ReadOnlySpan<byte> data)
    {
        var hash = signatureAlgorithm == SshKeyAlgorithms.RsaSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        return _rsa.Value!.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
    }
}
