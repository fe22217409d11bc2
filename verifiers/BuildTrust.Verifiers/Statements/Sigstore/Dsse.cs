using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BuildTrust.Verifiers.Statements.Sigstore;

/// <summary>DSSE v1 and the Sigstore key-hint convention, from their specifications.</summary>
public static class Dsse
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary><c>PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body</c>, lengths as ASCII decimal byte counts.</summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var length = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        return [.. header, .. type, .. length, .. payload];
    }

    /// <summary>The public-key hint (and DSSE keyid) used by cosign and sigstore-go: base64(SHA-256(DER SubjectPublicKeyInfo)).</summary>
    public static string KeyHint(ReadOnlySpan<byte> subjectPublicKeyInfo) => Convert.ToBase64String(SHA256.HashData(subjectPublicKeyInfo));
}
