using System.Security.Cryptography;
using System.Text.Json;

namespace BuildTrust.Verifiers.Policy;

/// <summary>The <c>build</c> section: the digest-pinned image, the command run in the exported tree, and the outputs collected.</summary>
/// <param name="Outputs">Globs under <c>/out</c>; only what they match is collected.</param>
public sealed record BuildRecipe(ImageReference Image, IReadOnlyList<string> Command, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// <c>build.limits</c>. Not part of <see cref="Digest"/>: limits bound a build, they are not its input, and
    /// a build that stays within them produces the same artifacts under any limits.
    /// </summary>
    public BuildLimits Limits { get; init; } = BuildLimits.Default;

    /// <summary>
    /// SHA-256 (hex) of the recipe in a canonical JSON form (image, command, outputs, env sorted by name):
    /// builders record it in provenance, so bundles that ran different recipes can be told apart.
    /// </summary>
    public string Digest()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("image", Image.ToString());
            json.WriteStartArray("command");
            foreach (var argument in Command) json.WriteStringValue(argument);
            json.WriteEndArray();
            json.WriteStartArray("outputs");
            foreach (var output in Outputs) json.WriteStringValue(output);
            json.WriteEndArray();
            json.WriteStartObject("env");
            foreach (var (name, value) in Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal)) json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }
}
