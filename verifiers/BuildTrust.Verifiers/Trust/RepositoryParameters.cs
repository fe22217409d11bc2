using System.Text.Json;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Trust;

/// <summary>
/// Defaults from <c>.nuke/parameters.json</c> (Nuke's parameters file): <c>Policy</c> (path inside the repository),
/// <c>TrustRoot</c> (a revision), <c>BuilderKeys</c> (builder id to key reference) and <c>ReleaseKey</c>. Key references
/// are PEM key files or <c>pkcs11:</c> URIs, never key material. They decide trust (the trust root, the policy, which
/// native PKCS#11 module is loaded), so they are only ever read as committed in a revision the caller names as trusted
/// (<c>--trusted-ref</c>), never from the working tree or the range under judgement.
/// </summary>
public sealed record RepositoryParameters(string? Policy, string? TrustRoot, IReadOnlyDictionary<string, string> BuilderKeys, string? ReleaseKey)
{
    public const string RelativePath = ".nuke/parameters.json";
    public const string DefaultPolicy = "policies/release.yaml";
    public const int MaximumBytes = 64 * 1024;

    public static RepositoryParameters None { get; } = new(null, null, new Dictionary<string, string>(), null);

    /// <summary>
    /// The parameters committed at <paramref name="trustedRef"/> (a revision the caller trusts), with the commit it names.
    /// Throws <see cref="TrustAnchorException"/> when that revision has no parameters file.
    /// </summary>
    public static (RepositoryParameters Parameters, string Commit) ReadAt(string repository, string trustedRef)
    {
        using var source = Git.GitCommitSource.Open(repository);
        var commit = source.Resolve(trustedRef);
        byte[]? bytes;
        try
        {
            bytes = source.ReadFileAt(commit, RelativePath, MaximumBytes);
        }
        catch (InvalidDataException e)
        {
            throw new TrustAnchorException($"{RelativePath}@{trustedRef}: {e.Message}");
        }
        if (bytes is null) throw new TrustAnchorException($"the trusted ref {trustedRef} ({commit[..12]}) has no committed {RelativePath}");
        return (Parse(bytes, $"{RelativePath}@{trustedRef}"), commit);
    }

    /// <summary>Parses the file's bytes; <paramref name="source"/> names it in errors (for example <c>.nuke/parameters.json@origin/main</c>).</summary>
    public static RepositoryParameters Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new TrustAnchorException($"{source}: expected a JSON object");
            var builderKeys = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("BuilderKeys", out var keys))
            {
                if (keys.ValueKind != JsonValueKind.Object) throw new TrustAnchorException($"{source}: 'BuilderKeys' must be an object of builder id to key");
                foreach (var key in keys.EnumerateObject())
                {
                    builderKeys[key.Name] = key.Value.ValueKind == JsonValueKind.String ? key.Value.GetString()! : throw new TrustAnchorException($"{source}: BuilderKeys.{key.Name} must be a string");
                }
            }
            return new RepositoryParameters(String(root, "Policy", source), String(root, "TrustRoot", source), builderKeys, String(root, "ReleaseKey", source));
        }
        catch (JsonException e)
        {
            throw new TrustAnchorException($"{source}:{e.LineNumber + 1}: malformed JSON: {e.Message}");
        }
    }

    private static string? String(JsonElement root, string name, string source) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text
        : throw new TrustAnchorException($"{source}: '{name}' must be a non-empty string");
}
