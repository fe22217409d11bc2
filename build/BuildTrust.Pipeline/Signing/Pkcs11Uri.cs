using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers;
using System.Text;

namespace BuildTrust.Pipeline.Signing;

/// <summary>
/// An RFC 7512 <c>pkcs11:</c> URI naming a key on a token:
/// <c>pkcs11:token=release;object=release-2026?module-path=/usr/lib/softhsm/libsofthsm2.so&amp;pin-source=file:/run/pin</c>.
/// Strict: unknown or repeated attributes are refused. <see cref="ToString"/> never shows a PIN value. Not Pkcs11Interop's
/// own Pkcs11Uri: checked with 5.3.0, it accepts unknown (vendor) attributes and pin-value together with pin-source,
/// and this URI decides which native module is loaded and where the PIN comes from.
/// </summary>
public sealed record Pkcs11Uri(IReadOnlyDictionary<string, string> Path, IReadOnlyDictionary<string, string> Query)
{
    private static readonly string[] PathAttributes = ["token", "object", "id", "manufacturer", "serial", "model", "type", "library-manufacturer", "library-description", "library-version", "slot-id", "slot-description", "slot-manufacturer"];
    private static readonly string[] QueryAttributes = ["module-path", "module-name", "pin-source", "pin-value"];

    public string? Token => Path.GetValueOrDefault("token");

    public string? Object => Path.GetValueOrDefault("object");

    /// <summary>The CKA_ID, as raw bytes (the URI percent-encodes them).</summary>
    public byte[]? Id => Path.TryGetValue("id", out var id) ? Encoding.Latin1.GetBytes(id) : null;

    public string? ModulePath => Query.GetValueOrDefault("module-path");

    public static bool IsPkcs11(string reference) => reference.StartsWith("pkcs11:", StringComparison.Ordinal);

    public static Pkcs11Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsPkcs11(text)) throw Bad(text, "does not start with 'pkcs11:'");
        var body = text["pkcs11:".Length..];
        var question = body.IndexOf('?', StringComparison.Ordinal);
        var path = Attributes(question < 0 ? body : body[..question], ';', PathAttributes, text);
        var query = Attributes(question < 0 ? "" : body[(question + 1)..], '&', QueryAttributes, text);
        if (query.ContainsKey("pin-source") && query.ContainsKey("pin-value")) throw Bad(text, "has both pin-source and pin-value");
        if (path.TryGetValue("type", out var type) && type != "private") throw Bad(text, "type must be 'private' (a signing key)");
        if (!path.ContainsKey("object") && !path.ContainsKey("id")) throw Bad(text, "names no key: give object= (the label) or id=");
        return new Pkcs11Uri(path, query);
    }

    /// <summary>The user PIN: <c>pin-value</c>, the file named by <c>pin-source=file:...</c>, else <c>BUILDTRUST_PKCS11_PIN</c>.</summary>
    public string? ReadPin()
    {
        if (Query.TryGetValue("pin-value", out var value)) return value;
        if (Query.TryGetValue("pin-source", out var source))
        {
            var file = source.StartsWith("file:", StringComparison.Ordinal) ? source["file:".Length..] : source;
            try
            {
                return System.Text.Encoding.UTF8.GetString(UntrustedFile.ReadAll(file, 1024)).TrimEnd('\r', '\n');
            }
            catch (UntrustedFileException e)
            {
                throw new SigningKeyException(FaultKind.BadInput, $"{this}: cannot read the PIN file: {e.Message}", e);
            }
        }
        return Environment.GetEnvironmentVariable("BUILDTRUST_PKCS11_PIN");
    }

    public override string ToString()
    {
        var text = new StringBuilder("pkcs11:");
        text.AppendJoin(';', Path.Select(p => $"{p.Key}={Encode(p.Value)}"));
        var query = Query.Where(q => q.Key != "pin-value").Select(q => $"{q.Key}={Encode(q.Value)}").ToList();
        if (Query.ContainsKey("pin-value")) query.Add("pin-value=***");
        if (query.Count > 0) text.Append('?').AppendJoin('&', query);
        return text.ToString();
    }

    private static Dictionary<string, string> Attributes(string part, char separator, string[] allowed, string uri)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (part.Length == 0) return attributes;
        foreach (var item in part.Split(separator))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw Bad(uri, $"attribute '{Redact(item)}' is not name=value");
            var name = item[..equals];
            if (!allowed.Contains(name, StringComparer.Ordinal)) throw Bad(uri, $"unknown attribute '{name}' (known: {string.Join(", ", allowed)})");
            if (!attributes.TryAdd(name, Decode(item[(equals + 1)..], uri))) throw Bad(uri, $"attribute '{name}' is given twice");
        }
        return attributes;
    }

    private static string Decode(string value, string uri)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                if (value[i] > 0x7e || value[i] < 0x21) throw Bad(uri, "holds a character that must be percent-encoded");
                bytes.Add((byte)value[i]);
                continue;
            }
            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var decoded))
                throw Bad(uri, "holds a malformed percent escape");
            bytes.Add(decoded);
            i += 2;
        }
        return Encoding.Latin1.GetString([.. bytes]);
    }

    private static string Encode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.Latin1.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or ':') text.Append(c);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static string Redact(string text) => text.StartsWith("pin-value", StringComparison.Ordinal) ? "pin-value=***" : text;

    private static SigningKeyException Bad(string uri, string problem)
    {
        var shown = uri.Contains("pin-value=", StringComparison.Ordinal) ? uri[..uri.IndexOf("pin-value=", StringComparison.Ordinal)] + "pin-value=***" : uri;
        return new SigningKeyException(FaultKind.BadInput, $"'{shown}' is not a usable pkcs11 URI: {problem}");
    }
}
