using System.Text.Json;
using System.Text.Json.Nodes;
using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// rebuilderd's attestations: in-toto v0.9 link metadata (<c>{"signatures":[{"keyid","sig"}],"signed":{"_type":"link","name":"rebuild
/// X",...,"products":{name:{"sha256":...}}}}</c>), each signed with Ed25519 by the rebuilder that reproduced X and countersigned by
/// the daemon's key where the daemon adds its own. Every <c>*.json</c> or <c>*.link</c> file under the folder is one link; a
/// rebuilder's attestation of the group <c>name</c> counts when one of the signatures verifies with its key over the canonical
/// JSON of <c>signed</c>, and, when a daemon key is given and countersignatures are required, the daemon's does too.
/// </summary>
public static class RebuilderdLinks
{
    public const int MaximumLinkBytes = 8 << 20;
    public const int MaximumLinks = 200_000;

    public static IReadOnlyList<ImportedAttestation> Verify(string root, Ed25519Keyring rebuilders, Ed25519Keyring? daemon, bool requireCountersignature)
    {
        if (!Directory.Exists(root)) throw new UntrustedFileException($"{root}: no such folder");
        UntrustedFile.RefuseLinksOnTheWay(root);
        var files = new List<string>();
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            var (inside, folders) = SignedSumsFiles.List(folder);
            files.AddRange(inside.Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".link", StringComparison.Ordinal)));
            foreach (var child in folders.Where(f => !Path.GetFileName(f).StartsWith('.'))) pending.Push(child);
            if (files.Count > MaximumLinks) throw new UntrustedFileException($"{root}: more than {MaximumLinks} link files");
        }
        files.Sort(StringComparer.Ordinal);
        var results = new IEnumerable<ImportedAttestation>[files.Count];
        Parallel.For(0, files.Count, i => results[i] = [.. Check(root, files[i], rebuilders, daemon, requireCountersignature)]);
        return [.. results.SelectMany(r => r)];
    }

    private static IEnumerable<ImportedAttestation> Check(string root, string file, Ed25519Keyring rebuilders, Ed25519Keyring? daemon, bool requireCountersignature)
    {
        var relative = Path.GetRelativePath(root, file);
        ImportedAttestation Result(string group, string signer, AttestationVerdict verdict, string reason, IReadOnlyDictionary<string, string>? artifacts = null) =>
            new(group, signer, [relative], verdict, reason, artifacts ?? new Dictionary<string, string>(), null);
        Link link;
        try
        {
            link = Link.Parse(UntrustedFile.ReadListedFile(file, MaximumLinkBytes));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or UntrustedFileException)
        {
            return [Result(relative, "?", AttestationVerdict.Malformed, $"not an in-toto v0.9 link: {e.Message}")];
        }
        var signers = new HashSet<string>(StringComparer.Ordinal);
        var countersigned = false;
        foreach (var signature in link.Signatures)
        {
            foreach (var message in link.SignedForms)
            {
                signers.UnionWith(rebuilders.Signers(signature, message));
                if (daemon is not null && daemon.Signers(signature, message).Any()) countersigned = true;
            }
        }
        if (signers.Count == 0)
        {
            var claimed = link.KeyIds.Select(rebuilders.OwnerOfKeyId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            return claimed.Count > 0
                ? [.. claimed.Select(s => Result(link.Name, s, AttestationVerdict.Bad, $"the signature by {s}'s key id does not verify: the link was changed or another key made it", link.Products))]
                : [Result(link.Name, "?", AttestationVerdict.UnknownKey, $"no signature verifies with a rebuilder's key (key ids {string.Join(", ", link.KeyIds.Select(k => k[..Math.Min(16, k.Length)]))})", link.Products)];
        }
        if (requireCountersignature && !countersigned)
            return [.. signers.Order(StringComparer.Ordinal).Select(s => Result(link.Name, s, AttestationVerdict.Refused, "not countersigned by the daemon's key", link.Products))];
        var reason = $"good Ed25519 signature by {{0}}{(countersigned ? ", countersigned by the daemon" : daemon is null ? "" : ", not countersigned by the daemon")}";
        return [.. signers.Order(StringComparer.Ordinal).Select(s => Result(link.Name, s, AttestationVerdict.Good, string.Format(System.Globalization.CultureInfo.InvariantCulture, reason, s), link.Products))];
    }

    private sealed record Link(string Name, IReadOnlyList<byte[]> Signatures, IReadOnlyList<string> KeyIds, IReadOnlyList<byte[]> SignedForms, IReadOnlyDictionary<string, string> Products)
    {
        public static Link Parse(byte[] bytes)
        {
            var root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject ?? throw new FormatException("not a JSON object");
            if (root.Count != 2 || root["signatures"] is not JsonArray signatures || root["signed"] is not JsonObject signed)
                throw new FormatException("expected exactly 'signatures' and 'signed'");
            if (signed["_type"]?.GetValueKind() != JsonValueKind.String || signed["_type"]!.GetValue<string>() != "link")
                throw new FormatException("'signed._type' is not \"link\"");
            var name = signed["name"]?.GetValueKind() == JsonValueKind.String ? signed["name"]!.GetValue<string>() : throw new FormatException("no 'signed.name'");
            if (name.Length is 0 or > 1024 || name.Any(char.IsControl)) throw new FormatException("'signed.name' is empty, too long or has control characters");
            if (signed["products"] is not JsonObject products || products.Count == 0) throw new FormatException("no 'signed.products'");
            var artifacts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (product, hashes) in products)
            {
                var digest = (hashes as JsonObject)?["sha256"];
                if (digest?.GetValueKind() != JsonValueKind.String || digest.GetValue<string>() is not { Length: 64 } hex || !hex.All(char.IsAsciiHexDigitLower))
                    throw new FormatException($"product '{product}' has no SHA-256 (64 lowercase hex digits)");
                if (product.Length == 0 || product.Any(c => char.IsControl(c) || c == '\\')) throw new FormatException("a product name with control characters or backslashes");
                artifacts[product] = hex;
            }
            var sigs = new List<byte[]>();
            var keyIds = new List<string>();
            foreach (var entry in signatures)
            {
                var sig = (entry as JsonObject)?["sig"];
                if (sig?.GetValueKind() != JsonValueKind.String) throw new FormatException("a signature without 'sig'");
                var hex = sig.GetValue<string>();
                if (hex.Length != 128 || !hex.All(char.IsAsciiHexDigit)) throw new FormatException("a 'sig' that is not 64 bytes of hex (Ed25519)");
                sigs.Add(Convert.FromHexString(hex));
                keyIds.Add((entry as JsonObject)?["keyid"]?.GetValueKind() == JsonValueKind.String ? entry!["keyid"]!.GetValue<string>() : "?");
            }
            if (sigs.Count is 0 or > 16) throw new FormatException("no signatures, or more than 16");
            byte[][] forms = [CanonicalJson.Write(signed, CanonicalJson.Dialect.InTotoRs), CanonicalJson.Write(signed, CanonicalJson.Dialect.SecureSystemsLib)];
            return new Link(name, sigs, keyIds, [.. forms.DistinctBy(Convert.ToHexString)], artifacts);
        }
    }
}
