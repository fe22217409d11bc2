using BuildTrust.Pipeline.Builders;
using BuildTrust.Testing.Containers;

namespace BuildTrust.Pipeline.Tests.Builders;

[Collection("engines")]
public sealed class ReproducibleBuildTests
{
    /// <summary>Builds a sample on engine A as it is and on engine B with <paramref name="variations"/>.</summary>
    private static async Task<(BuilderRunResult Plain, BuilderRunResult Varied, string ImageId)> BuildTwiceAsync(
        string sample, string[] command, string output, bool dotnet = false, params string[] variations)
    {
        var image = dotnet ? await TestImages.DotnetSdkAsync() : await TestImages.CToolchainAsync();
        using var repository = SampleRepository.Create(sample);
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        using var harness = new BuilderHarness();
        var recipe = BuilderHarness.Recipe(image.Id, command, output);
        var plain = await harness.RunAsync(BuilderHarness.Builder("builder-a", TestEngines.A), recipe, source);
        var varied = await harness.RunAsync(BuilderHarness.Builder("builder-b", TestEngines.B, variations), recipe, source);
        Assert.True(plain.Succeeded, plain.FailureMessage + Log(plain));
        Assert.True(varied.Succeeded, varied.FailureMessage + Log(varied));
        return (plain, varied, image.Id);
    }

    [EngineFact]
    public async Task C_sample_builds_bit_identical_on_two_engines_under_every_variation()
    {
        var (plain, varied, image) = await BuildTwiceAsync("c-hello", ["make", "-C", "samples/c-hello"], "/out/bin/**", variations: BuilderHarness.AllVariations);

        Assert.Equal(["bin/VERSION.txt", "bin/hello"], plain.Artifacts.Select(a => a.Name));
        Assert.Equal(plain.Artifacts, varied.Artifacts);
        Assert.Equal("2345", varied.Variations.Recorded()["user"]);
        Assert.NotEqual(plain.Variations.Recorded()["hostname"], varied.Variations.Recorded()["hostname"]);
        Assert.Contains("not-applied:file-ordering", varied.Variations.Recorded().Keys);
        Assert.NotEqual("unknown", plain.Fingerprint!.CpuModel);
        Assert.Equal(image, plain.Fingerprint.ImageId);
    }

    [EngineFact]
    public async Task Dotnet_sample_builds_bit_identical_on_two_engines_under_every_variation()
    {
        var (plain, varied, _) = await BuildTwiceAsync("dotnet-hello", ["dotnet", "publish", "samples/dotnet-hello", "-c", "Release", "-o", "/out/app"], "/out/app/**",
            dotnet: true, variations: BuilderHarness.AllVariations);

        Assert.Contains(plain.Artifacts, a => a.Name == "app/Hello.dll");
        Assert.Equal(plain.Artifacts, varied.Artifacts);
    }

    [EngineFact]
    public async Task Unreproducible_sample_differs_between_builders_with_different_host_names()
    {
        var (plain, varied, _) = await BuildTwiceAsync("unreproducible", ["make", "-C", "samples/unreproducible"], "/out/bin/**", variations: "hostname");

        Assert.Equal(plain.Artifacts.Single().Name, varied.Artifacts.Single().Name);
        Assert.NotEqual(plain.Artifacts.Single().Sha256, varied.Artifacts.Single().Sha256);
    }

    private static string Log(BuilderRunResult result) => File.Exists(result.LogPath) ? "\n" + File.ReadAllText(result.LogPath) : "";
}
