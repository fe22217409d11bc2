using BuildTrust.Verifiers.Files;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// Ed25519 public keys in PEM (SubjectPublicKeyInfo, "PUBLIC KEY"), as rebuilderd publishes its signing keys: one file per
/// rebuilder, named after it, from a folder the caller trusts.
/// </summary>
public sealed class Ed25519Keyring
{
    private readonly Dictionary<string, Ed25519PublicKeyParameters> keys;

    private Ed25519Keyring(Dictionary<string, Ed25519PublicKeyParameters> keys) => this.keys = keys;

    public IReadOnlyCollection<string> Names => keys.Keys;

    /// <summary>
    /// The in-toto key ids of each key, as its producers compute them (SHA-256 of the canonical JSON of the key, with and without
    /// <c>keyid_hash_algorithms</c>): a signature naming one of them is that key's claim, and fails as bad when it does not verify.
    /// </summary>
    public string? OwnerOfKeyId(string keyId) => keys.FirstOrDefault(k => KeyIds(k.Value).Contains(keyId, StringComparer.Ordinal)).Key;

    private static IEnumerable<string> KeyIds(Ed25519PublicKeyParameters key)
    {
        var hex = Convert.ToHexStringLower(key.GetEncoded());
        foreach (var withAlgorithms in new[] { false, true })
        {
            var node = new System.Text.Json.Nodes.JsonObject
            {
                ["keytype"] = "ed25519",
                ["scheme"] = "ed25519",
                ["keyval"] = new System.Text.Json.Nodes.JsonObject { ["public"] = hex },
            };
            if (withAlgorithms) node["keyid_hash_algorithms"] = new System.Text.Json.Nodes.JsonArray("sha256", "sha512");
            yield return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CanonicalJson.Write(node, CanonicalJson.Dialect.SecureSystemsLib)));
        }
    }

    public string Digest { get; private init; } = "";

    public static Ed25519Keyring Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new UntrustedFileException($"{folder}: no such folder of rebuilders' keys");
        UntrustedFile.RefuseLinksOnTheWay(folder);
        var keys = new Dictionary<string, Ed25519PublicKeyParameters>(StringComparer.Ordinal);
        var digest = new List<byte>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.pem").Order(StringComparer.Ordinal))
        {
            var bytes = UntrustedFile.ReadAll(file, 64 * 1024);
            digest.AddRange(System.Security.Cryptography.SHA256.HashData(bytes));
            keys[Path.GetFileNameWithoutExtension(file)] = ReadPem(bytes, file);
        }
        if (keys.Count == 0) throw new UntrustedFileException($"{folder}: holds no Ed25519 public keys (*.pem)");
        return new Ed25519Keyring(keys) { Digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. digest])) };
    }

    public static Ed25519PublicKeyParameters ReadPem(byte[] bytes, string source)
    {
        // SubjectPublicKeyInfo of Ed25519: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes) }, 44 bytes in all.
        ReadOnlySpan<byte> prefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            var fields = System.Security.Cryptography.PemEncoding.Find(text);
            if (text[fields.Label] != "PUBLIC KEY") throw new UntrustedFileException($"{source}: not a PEM public key");
            var der = Convert.FromBase64String(text[fields.Base64Data]);
            if (der.Length != 44 || !der.AsSpan(0, 12).SequenceEqual(prefix)) throw new UntrustedFileException($"{source}: not an Ed25519 public key");
            return new Ed25519PublicKeyParameters(der, 12);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new UntrustedFileException($"{source}: not a PEM public key: {e.Message}");
        }
    }

    /// <summary>The names of the keys under which <paramref name="signature"/> verifies over <paramref name="message"/>.</summary>
    public IEnumerable<string> Signers(byte[] signature, byte[] message) =>
        keys.Where(k => Verifies(k.Value, signature, message)).Select(k => k.Key);

    public static bool Verifies(Ed25519PublicKeyParameters key, byte[] signature, byte[] message)
    {
        if (signature.Length != 64) return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }
}
