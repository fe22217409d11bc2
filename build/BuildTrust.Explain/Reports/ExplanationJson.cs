using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildTrust.Explain.Reports;

/// <summary>The machine report: the same <see cref="Explanation"/> the text and HTML reports render.</summary>
public static class ExplanationJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return JsonSerializer.Serialize(new
        {
            schema = "https://buildtrust.dev/explain/v1",
            directory = explanation.Directory,
            provenanceVerified = explanation.ProvenanceVerified,
            compared = explanation.Compared,
            noDifference = explanation.NoDifference,
            referenceBuilder = explanation.ReferenceBuilder,
            builders = explanation.Builders,
            causes = explanation.Causes,
            artifacts = explanation.Artifacts,
            notes = explanation.Notes,
            skipped = explanation.Skipped,
            elapsedSeconds = explanation.Elapsed.TotalSeconds,
        }, Options);
    }
}
