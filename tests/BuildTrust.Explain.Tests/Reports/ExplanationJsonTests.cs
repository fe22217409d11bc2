using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildTrust.Explain.Causes;
using BuildTrust.Explain.Comparison;
using BuildTrust.Explain.Reports;

namespace BuildTrust.Explain.Tests.Reports;

/// <summary>The explain report is serialised with compile-time metadata; its bytes are what the reflection-based serialiser wrote before.</summary>
public sealed class ExplanationJsonTests
{
    [Fact]
    public void The_report_is_written_as_its_anonymous_shape_was_with_reflection()
    {
        var difference = new Difference("bin/hello: .debug_str", DifferenceKind.HeaderName, "/build/a", "/build/b", 42, "raw");
        var cause = new Cause("build-path", "the build path is recorded", "use -ffile-prefix-map", 90, "build-path", [difference, difference with { Offset = null, Raw = null }]);
        var explanation = new Explanation("/releases/1.0", true,
            [new BuilderView("builder-a", new Dictionary<string, string> { ["build-path"] = "/build/a" }, DateTimeOffset.UnixEpoch, null), new BuilderView("builder-b", new Dictionary<string, string>(), null, null)],
            "builder-a", [new ArtifactExplanation("bin/hello", "builder-a", "builder-b", "aa", null, [difference], 3, [cause])], [cause], ["a note"], [], TimeSpan.FromMilliseconds(1234));
        var reflection = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };

        var before = JsonSerializer.Serialize(new
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
        }, reflection);

        Assert.Equal(before, ExplanationJson.Serialize(explanation));
        Assert.Contains("\"kind\":\"header-name\"", before);
    }
}
