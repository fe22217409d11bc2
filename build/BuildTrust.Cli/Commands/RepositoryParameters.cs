using System.Text.Json;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// Defaults read from <c>.nuke/parameters.json</c> in the repository (Nuke's parameters file), used when an
/// option is not given on the command line. Recognised: <c>Policy</c> (path relative to the repository).
/// </summary>
public sealed record RepositoryParameters(string? Policy)
{
    public const string RelativePath = ".nuke/parameters.json";
    public const string DefaultPolicy = "policies/release.yaml";

    /// <summary>Reads the file if present; a malformed file is an error (exit 2), not silently ignored.</summary>
    public static RepositoryParameters Read(string repository)
    {
        var path = Path.Combine(repository, RelativePath);
        if (!File.Exists(path)) return new RepositoryParameters((string?)null);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new CliInputException($"{path}: expected a JSON object");
            string? policy = null;
            if (document.RootElement.TryGetProperty("Policy", out var value))
            {
                policy = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new CliInputException($"{path}: 'Policy' must be a string");
            }
            return new RepositoryParameters(policy);
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{path}:{e.LineNumber + 1}: malformed JSON: {e.Message}");
        }
    }
}
