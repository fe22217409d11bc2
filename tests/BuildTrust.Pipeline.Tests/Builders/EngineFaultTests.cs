using System.Diagnostics;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;
using Xunit.Abstractions;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>
/// The engine dies in the middle of a build (dockerd SIGKILLed; a dockerd of the test's own, never the shared
/// engines): the command-line tool ends with exit 3 and the engine named, no provenance and no output folder; the
/// build keeps running under containerd's shim while the engine is down; restarted on the same data root, dockerd
/// kills the containers it finds and, since they are AutoRemove, removes them with their volumes; the next build
/// finds nothing to clean up and succeeds.
/// </summary>
[Collection("engines")]
public sealed class EngineFaultTests(ITestOutputHelper log)
{
    private const string Marker = "3217";

    private static bool BuildProcessRuns() => Directory.EnumerateDirectories("/proc").Any(folder =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(folder, "cmdline")) == $"sleep\0{Marker}\0";
        }
        catch (IOException)
        {
            return false;
        }
    });

    [EngineFact]
    public async Task A_build_whose_engine_is_killed_ends_with_exit_3_and_nothing_written_and_the_restarted_engine_keeps_nothing_of_it()
    {
        var image = await TestImages.CToolchainAsync();
        using var engine = await DedicatedEngine.StartAsync();
        await ImageLoader.LoadAsync(engine.Endpoint, null, image, CancellationToken.None);
        using var workspace = new ReleaseWorkspace([("fault-a", engine.Endpoint, [])], image.Id, ["sh", "-c", $"echo building; sleep {Marker}"], ["/out/**"], 1);
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");
        using var cli = CliProcess.Start(["build", "--repo", repository.Path, "--ref", "HEAD", "--out", output.Path, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]);
        var watch = Stopwatch.StartNew();
        while (!BuildProcessRuns())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3), $"the build never ran; buildtrust said:\n{cli.Error}");
            Thread.Sleep(200);
        }
        var footprint = EngineFootprint.Of(engine.Endpoint, "fault-a")!;

        engine.Kill();
        var exitCode = cli.WaitForExit(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 3, cli.Error);
        Assert.Contains("fault-a: FAILED (Infrastructure)", cli.Error);
        Assert.Contains(engine.Endpoint.ToString(), cli.Error);
        Assert.Equal(["build.log"], Directory.EnumerateFileSystemEntries(Path.Combine(output.Path, "fault-a")).Select(Path.GetFileName));
        Assert.True(BuildProcessRuns(), "while its engine is down, the build runs on under containerd's shim");

        await engine.RestartAsync();

        Assert.False(BuildProcessRuns());   // dockerd, restarted without live-restore, kills what it finds running
        log.WriteLine($"left by the restarted engine: {string.Join(", ", footprint.Leftovers().DefaultIfEmpty("nothing"))}");
        using var harness = new BuilderHarness();
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        var next = await harness.RunAsync(BuilderHarness.Builder("fault-b", engine.Endpoint), BuilderHarness.Recipe(image.Id, ["sh", "-c", "echo ok > /out/ok"]), source);
        Assert.True(next.Succeeded, next.FailureMessage);
        Assert.Empty(footprint.Leftovers());
        var containers = EngineFootprint.Docker(engine.Endpoint, "ps", "-a", "--format", "{{.ID}} {{.Status}} {{.Labels}}").ThrowOnFailure().StandardOutput.Trim();
        Assert.True(containers.Length == 0, $"containers left on the engine:\n{containers}");
        Assert.Empty(EngineFootprint.Docker(engine.Endpoint, "volume", "ls", "-q").ThrowOnFailure().StandardOutput.Trim());
    }
}
