using System.Security.Cryptography;
using System.Text.Json;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Pipeline.Attestations;

/// <summary>
/// Writes Sigstore bundle v0.3 JSON signed by an <see cref="IDigestSigner"/>: a DSSE envelope (attestations)
/// or a message signature (artifacts). The key is named by its hint (base64 SHA-256 of its
/// SubjectPublicKeyInfo); no transparency log: verifiers check against the key the policy names.
/// </summary>
public static class BundleWriter
{
    public static byte[] WriteDsse(byte[] payload, string payloadType, IDigestSigner signer)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signer);
        var hint = Dsse.KeyHint(signer.SubjectPublicKeyInfo);
        var signature = signer.SignDigest(SHA256.HashData(Dsse.PreAuthenticationEncoding(payloadType, payload)));
        return Write(hint, json =>
        {
            json.WriteStartObject("dsseEnvelope");
            json.WriteString("payload", Convert.ToBase64String(payload));
            json.WriteString("payloadType", payloadType);
            json.WriteStartArray("signatures");
            json.WriteStartObject();
            json.WriteString("sig", Convert.ToBase64String(signature));
            json.WriteString("keyid", hint);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static byte[] WriteMessageSignature(byte[] artifactSha256, IDigestSigner signer)
    {
        ArgumentNullException.ThrowIfNull(artifactSha256);
        ArgumentNullException.ThrowIfNull(signer);
        if (artifactSha256.Length != 32) throw new ArgumentException("a SHA-256 digest is 32 bytes", nameof(artifactSha256));
        var signature = signer.SignDigest(artifactSha256);
        return Write(Dsse.KeyHint(signer.SubjectPublicKeyInfo), json =>
        {
            json.WriteStartObject("messageSignature");
            json.WriteStartObject("messageDigest");
            json.WriteString("algorithm", "SHA2_256");
            json.WriteString("digest", Convert.ToBase64String(artifactSha256));
            json.WriteEndObject();
            json.WriteString("signature", Convert.ToBase64String(signature));
            json.WriteEndObject();
        });
    }

    private static byte[] Write(string hint, Action<Utf8JsonWriter> content)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("mediaType", SigstoreBundleReader.MediaType);
            json.WriteStartObject("verificationMaterial");
            json.WriteStartObject("publicKey");
            json.WriteString("hint", hint);
            json.WriteEndObject();
            json.WriteStartArray("tlogEntries");
            json.WriteEndArray();
            json.WriteEndObject();
            content(json);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
