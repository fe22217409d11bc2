using System.Text.Json;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// Defaults read from <c>.nuke/parameters.json</c> in the repository (Nuke's parameters file), used when an
/// option is not given on the command line. Recognised: <c>Policy</c> (path relative to the repository),
/// <c>TrustRoot</c> (a revision), <c>BuilderKeys</c> (builder id to key reference) and <c>ReleaseKey</c>.
/// Key references are PEM key files or <c>pkcs11:</c> URIs, never key material.
/// </summary>
public sealed record RepositoryParameters(string? Policy, string? TrustRoot, IReadOnlyDictionary<string, string> BuilderKeys, string? ReleaseKey)
{
    public const string RelativePath = ".nuke/parameters.json";
    public const string DefaultPolicy = "policies/release.yaml";

    /// <summary>Reads the file if present; a malformed file is an error (exit 2), not silently ignored.</summary>
    public static RepositoryParameters Read(string repository)
    {
        var path = Path.Combine(repository, RelativePath);
        if (!File.Exists(path)) return new RepositoryParameters(null, null, new Dictionary<string, string>(), null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new CliInputException($"{path}: expected a JSON object");
            var builderKeys = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("BuilderKeys", out var keys))
            {
                if (keys.ValueKind != JsonValueKind.Object) throw new CliInputException($"{path}: 'BuilderKeys' must be an object of builder id to key");
                foreach (var key in keys.EnumerateObject())
                {
                    builderKeys[key.Name] = key.Value.ValueKind == JsonValueKind.String ? key.Value.GetString()! : throw new CliInputException($"{path}: BuilderKeys.{key.Name} must be a string");
                }
            }
            return new RepositoryParameters(String(root, "Policy", path), String(root, "TrustRoot", path), builderKeys, String(root, "ReleaseKey", path));
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{path}:{e.LineNumber + 1}: malformed JSON: {e.Message}");
        }
    }

    private static string? String(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new CliInputException($"{path}: '{name}' must be a string");
}
