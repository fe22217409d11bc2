using System.Text.Json;

namespace BuildTrust.Verifiers.Statements.Sigstore;

/// <summary>
/// Reads Sigstore bundle v0.3 JSON strictly (hostile input): exact media type, no unknown or duplicate
/// fields, standard padded base64, a public-key hint (certificates and transparency-log entries are not
/// accepted here), exactly one content, exactly one DSSE signature, at most 16 MiB.
/// </summary>
public static class SigstoreBundleReader
{
    public const string MediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";
    public const int MaxBytes = 16 << 20;

    public static SigstoreBundle Parse(ReadOnlySpan<byte> json, string source)
    {
        if (json.Length > MaxBytes) throw Malformed(source, $"larger than {MaxBytes} bytes");
        // JsonDocument accepts invalid UTF-8 inside strings and only fails when one is read: refuse it up front.
        if (!System.Text.Unicode.Utf8.IsValid(json)) throw Malformed(source, "not valid UTF-8");
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
            var root = Object(document.RootElement, "the bundle", source);
            Only(root, source, "the bundle", "mediaType", "verificationMaterial", "messageSignature", "dsseEnvelope");
            if (String(root, "mediaType", source) != MediaType)
                throw Malformed(source, $"mediaType is not {MediaType}");
            var material = Object(Required(root, "verificationMaterial", source), "verificationMaterial", source);
            Only(material, source, "verificationMaterial", "publicKey", "certificate", "x509CertificateChain", "tlogEntries", "timestampVerificationData");
            if (material.TryGetProperty("certificate", out _) || material.TryGetProperty("x509CertificateChain", out _))
                throw Malformed(source, "unsupported: certificate-based bundles (BuildTrust bundles name a public key)");
            if (material.TryGetProperty("timestampVerificationData", out _))
                throw Malformed(source, "unsupported: timestamp verification data");
            var publicKey = Object(Required(material, "publicKey", source), "publicKey", source);
            Only(publicKey, source, "publicKey", "hint");
            var hint = String(publicKey, "hint", source);
            var entries = Required(material, "tlogEntries", source);
            if (entries.ValueKind != JsonValueKind.Array) throw Malformed(source, "tlogEntries is not an array");
            if (entries.GetArrayLength() != 0) throw Malformed(source, "unsupported: transparency-log entries (BuildTrust bundles are verified by key)");

            var hasMessage = root.TryGetProperty("messageSignature", out var message);
            var hasDsse = root.TryGetProperty("dsseEnvelope", out var envelope);
            if (hasMessage == hasDsse) throw Malformed(source, "a bundle holds exactly one of messageSignature and dsseEnvelope");
            if (hasMessage)
            {
                Object(message, "messageSignature", source);
                Only(message, source, "messageSignature", "messageDigest", "signature");
                var digest = Object(Required(message, "messageDigest", source), "messageDigest", source);
                Only(digest, source, "messageDigest", "algorithm", "digest");
                if (String(digest, "algorithm", source) != "SHA2_256") throw Malformed(source, "messageDigest.algorithm is not SHA2_256");
                var sha256 = Base64(digest, "digest", source);
                if (sha256.Length != 32) throw Malformed(source, "messageDigest.digest is not 32 bytes");
                return new SigstoreBundle(source, hint, new MessageSignatureContent(sha256, Base64(message, "signature", source)), null);
            }
            Object(envelope, "dsseEnvelope", source);
            Only(envelope, source, "dsseEnvelope", "payload", "payloadType", "signatures");
            var signatures = Required(envelope, "signatures", source);
            if (signatures.ValueKind != JsonValueKind.Array || signatures.GetArrayLength() != 1)
                throw Malformed(source, "dsseEnvelope.signatures must hold exactly one signature");
            var signature = Object(signatures[0], "a DSSE signature", source);
            Only(signature, source, "a DSSE signature", "sig", "keyid");
            return new SigstoreBundle(source, hint, null, new DsseContent(Base64(envelope, "payload", source), String(envelope, "payloadType", source),
                String(signature, "keyid", source), Base64(signature, "sig", source)));
        }
        catch (JsonException e)
        {
            throw Malformed(source, $"malformed JSON: {e.Message}");
        }
    }

    private static JsonElement Required(JsonElement element, string name, string source) =>
        element.TryGetProperty(name, out var value) ? value : throw Malformed(source, $"'{name}' is missing");

    private static JsonElement Object(JsonElement element, string what, string source) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Malformed(source, $"{what} is not a JSON object");

    private static void Only(JsonElement element, string source, string what, params string[] allowed)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal)) throw Malformed(source, $"unknown field '{property.Name}' in {what}");
        }
    }

    private static string String(JsonElement element, string name, string source)
    {
        var value = Required(element, name, source);
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : throw Malformed(source, $"'{name}' is not a non-empty string");
    }

    private static byte[] Base64(JsonElement element, string name, string source)
    {
        var text = String(element, name, source);
        var buffer = new byte[text.Length];
        // Standard alphabet with padding only: Convert accepts whitespace, which a canonical bundle never has.
        if (text.Length % 4 != 0 || text.Any(char.IsWhiteSpace) || !Convert.TryFromBase64String(text, buffer, out var written))
            throw Malformed(source, $"'{name}' is not standard padded base64");
        return buffer[..written];
    }

    private static SigstoreBundleException Malformed(string source, string problem) => new(source, problem);
}
