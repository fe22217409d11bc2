using BuildTrust.Explain.Comparison;
using BuildTrust.Testing.Containers;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Explain.Tests.Samples;

/// <summary>
/// The planted samples (samples/explain: C and archives; samples/explain-dotnet: .NET), built on the two real engines by a
/// builder with no variation and one with many: for every sample, the first-ranked cause is the one it plants, and the
/// reproducible sample shows no difference. Then compare explains the same folder itself.
/// </summary>
[Collection("engines")]
public sealed class SampleCausesTests
{
    private static void AssertEachSampleExplainedByItsCause(SampleBuild build, string sampleFolder)
    {
        var explanation = BuildFolderExplainer.Explain(build.Output, PolicyLoader.Load(build.Workspace.PolicyPath), ExplainLimits.Default);
        Assert.True(explanation.ProvenanceVerified, string.Join("; ", explanation.Notes));
        var samples = Directory.GetDirectories(Path.Combine(Testing.Containers.TestImages.RepositoryRoot, "samples", sampleFolder))
            .Select(d => (Name: Path.GetFileName(d), Expected: File.ReadAllText(Path.Combine(d, "expected-cause")).Trim())).ToList();
        Assert.NotEmpty(samples);
        var report = string.Join("\n", explanation.Artifacts.Select(a => $"{a.Name}: {string.Join(" > ", a.Causes.Select(c => c.Id))}"));
        foreach (var (name, expected) in samples)
        {
            var artifacts = explanation.Artifacts.Where(a => a.Name.StartsWith(name + "/", StringComparison.Ordinal)).ToList();
            if (expected == "none")
            {
                Assert.True(artifacts.Count == 0, $"{name} should be reproducible:\n{report}");
                continue;
            }
            Assert.True(artifacts.Count > 0, $"{name} did not differ:\n{report}");
            foreach (var artifact in artifacts) Assert.True(artifact.Causes[0].Id == expected, $"{artifact.Name}: expected {expected} first:\n{report}");
        }
    }

    [EngineFact]
    public async Task CAndArchiveSamples_AreEachExplainedByTheirPlantedCauseFirst_AndCompareExplainsThem()
    {
        var image = await TestImages.CToolchainAsync();
        using var build = new SampleBuild("explain", image.Id, ["make", "-C", "samples/explain"], SampleBuild.ManyVariations).Build();

        AssertEachSampleExplainedByItsCause(build, "explain");

        var (code, error) = SampleBuild.Cli("compare", "--policy", build.Workspace.PolicyPath, build.Output);
        Assert.Equal(1, code);
        Assert.Contains("[build-path] the build path `/build/a-much-longer-varied-build-path/src` is embedded in `c-build-path/hello` (DWARF comp_dir)", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(build.Output, "explain.html")));
    }

    [EngineFact]
    public async Task DotnetSamples_AreEachExplainedByTheirPlantedCauseFirst()
    {
        var image = await TestImages.DotnetSdkAsync();
        using var build = new SampleBuild("explain-dotnet", image.Id, ["sh", "samples/explain-dotnet/build.sh"], ["build-path"]).Build();

        AssertEachSampleExplainedByItsCause(build, "explain-dotnet");
    }
}
