using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildTrust.Cli.Rendering;

/// <summary>The JSON conventions of every machine report: camelCase names, enums as kebab-case strings.</summary>
public static class JsonReport
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}
