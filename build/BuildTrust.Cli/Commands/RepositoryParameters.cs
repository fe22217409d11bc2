using System.Text.Json;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// Defaults read from <c>.nuke/parameters.json</c> in the repository (Nuke's parameters file), used when an
/// option is not given on the command line. Recognised: <c>Policy</c> (path relative to the repository) and
/// <c>TrustRoot</c> (a revision).
/// </summary>
public sealed record RepositoryParameters(string? Policy, string? TrustRoot)
{
    public const string RelativePath = ".nuke/parameters.json";
    public const string DefaultPolicy = "policies/release.yaml";

    /// <summary>Reads the file if present; a malformed file is an error (exit 2), not silently ignored.</summary>
    public static RepositoryParameters Read(string repository)
    {
        var path = Path.Combine(repository, RelativePath);
        if (!File.Exists(path)) return new RepositoryParameters(null, null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new CliInputException($"{path}: expected a JSON object");
            return new RepositoryParameters(String(document.RootElement, "Policy", path), String(document.RootElement, "TrustRoot", path));
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
