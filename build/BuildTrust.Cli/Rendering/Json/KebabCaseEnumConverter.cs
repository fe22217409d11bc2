using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildTrust.Cli.Rendering.Json;

/// <summary>An enum as its kebab-case name (<c>not-authenticated</c>), without the reflection the non-generic converter needs.</summary>
internal sealed class KebabCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower)
    where TEnum : struct, Enum;
