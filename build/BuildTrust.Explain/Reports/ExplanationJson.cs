using System.Text.Json;

namespace BuildTrust.Explain.Reports;

/// <summary>The machine report: the same <see cref="Explanation"/> the text and HTML reports render.</summary>
public static class ExplanationJson
{
    public static string Serialize(Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return JsonSerializer.Serialize(new ExplanationDocument("https://buildtrust.dev/explain/v1", explanation.Directory, explanation.ProvenanceVerified,
            explanation.Compared, explanation.NoDifference, explanation.ReferenceBuilder, explanation.Builders, explanation.Causes, explanation.Artifacts,
            explanation.Notes, explanation.Skipped, explanation.Elapsed.TotalSeconds), ExplanationJsonContext.Default.ExplanationDocument);
    }
}
