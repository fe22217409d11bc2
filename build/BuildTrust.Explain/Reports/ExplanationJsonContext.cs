using System.Text.Json;
using System.Text.Json.Serialization;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Reports;

/// <summary>The explain report's metadata, generated at compile time (no reflection-based serialiser); enums as kebab-case names.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ExplanationJsonContext.KebabCase<DifferenceKind>)])]
[JsonSerializable(typeof(ExplanationDocument))]
internal sealed partial class ExplanationJsonContext : JsonSerializerContext
{
    /// <summary>An enum as its kebab-case name.</summary>
    internal sealed class KebabCase<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower)
        where TEnum : struct, Enum;
}
