using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>Runs one builder on a real test engine and keeps its output folder for the assertions.</summary>
internal sealed class BuilderHarness : IDisposable
{
    public static readonly string[] AllVariations = ["timezone", "locale", "umask", "hostname", "domain", "user", "group", "build-path", "num-cpus", "time", "file-ordering"];

    private readonly TemporaryDirectory output = new("buildtrust-build-");

    public static BuilderDefinition Builder(string id, Uri endpoint, params string[] variations) =>
        new(id, endpoint, [], null, new HashSet<string>(variations, StringComparer.Ordinal));

    public static BuildRecipe Recipe(string imageId, string[] command, params string[] outputs) =>
        new(ImageReference.Parse(imageId), command, outputs.Length > 0 ? outputs : ["/out/**"], new Dictionary<string, string>());

    public async Task<BuilderRunResult> RunAsync(BuilderDefinition builder, BuildRecipe recipe, ExportedSource source,
        BuildLimits? limits = null, CancellationToken cancellationToken = default, IProgress<BuildProgress>? progress = null, string? tlsDirectory = null)
    {
        using var engine = DockerContainerEngine.Connect(builder.Endpoint!, tlsDirectory);
        return await new BuilderRunner(builder, recipe, limits ?? BuildLimits.Default)
            .RunAsync(engine, source, Path.Combine(output.Path, builder.Id), progress ?? new Progress<BuildProgress>(), cancellationToken);
    }

    public void Dispose() => output.Dispose();
}
