using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers;
using System.Security.Cryptography;

namespace BuildTrust.Pipeline.Signing;

/// <summary>
/// An ECDSA P-256 private key in a PEM file (PKCS#8 or SEC1 "EC PRIVATE KEY"; encrypted PKCS#8 with the
/// password in <c>BUILDTRUST_KEY_PASSWORD</c>). For builders and for releases whose policy allows a key file.
/// </summary>
public sealed class PemDigestSigner : IDigestSigner
{
    public const string PasswordVariable = "BUILDTRUST_KEY_PASSWORD";
    private readonly ECDsa key;
    private readonly Lock gate = new();

    private PemDigestSigner(ECDsa key, string path)
    {
        this.key = key;
        Description = path;
        SubjectPublicKeyInfo = key.ExportSubjectPublicKeyInfo();
    }

    public byte[] SubjectPublicKeyInfo { get; }

    public bool IsHardware => false;

    public string Description { get; }

    public static PemDigestSigner Open(string path)
    {
        string text;
        try
        {
            text = System.Text.Encoding.UTF8.GetString(UntrustedFile.ReadAll(path, 64 * 1024));
        }
        catch (UntrustedFileException e)
        {
            throw new SigningKeyException(FaultKind.BadInput, $"cannot read the key file: {e.Message}", e);
        }
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                var password = Environment.GetEnvironmentVariable(PasswordVariable)
                    ?? throw new SigningKeyException(FaultKind.BadInput, $"{path}: the key is encrypted; set {PasswordVariable}");
                key.ImportFromEncryptedPem(text, password);
            }
            else
            {
                key.ImportFromPem(text);
            }
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != "1.2.840.10045.3.1.7")
                throw new SigningKeyException(FaultKind.BadInput, $"{path}: not an ECDSA P-256 key (the key has {key.KeySize} bits)");
            _ = key.ExportParameters(includePrivateParameters: true).D ?? throw new SigningKeyException(FaultKind.BadInput, $"{path}: holds no private key");
            return new PemDigestSigner(key, path);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new SigningKeyException(FaultKind.BadInput, $"{path}: not a PEM ECDSA P-256 private key: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != 32) throw new ArgumentException("a SHA-256 digest is 32 bytes", nameof(sha256Digest));
        lock (gate) return key.SignHash(sha256Digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    public void Dispose() => key.Dispose();
}
