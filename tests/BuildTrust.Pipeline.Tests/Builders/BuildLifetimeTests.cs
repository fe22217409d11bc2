using System.Diagnostics;
using System.Globalization;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;
using Xunit.Abstractions;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>
/// A build cannot outlive its time limit: the engine's watchdog removes it even when buildtrust is SIGKILLed and the
/// build fights back; SIGTERM and SIGHUP stop the real command-line tool cleanly (exit 3, nothing left, nothing
/// half-written); a build over its time limit fails with exit 1.
/// </summary>
[Collection("engines")]
public sealed class BuildLifetimeTests(ITestOutputHelper log)
{
    /// <summary>A one-builder policy on engine A for the command-line tool, with <paramref name="limits"/> under build.limits.</summary>
    private static async Task<ReleaseWorkspace> WorkspaceAsync(string builderId, string script, string limits, Uri? endpoint = null)
    {
        var image = await TestImages.CToolchainAsync();
        var workspace = new ReleaseWorkspace([(builderId, endpoint ?? TestEngines.A, [])], image.Id, ["sh", "-c", script], ["/out/**"], 1);
        var policy = File.ReadAllText(workspace.PolicyPath);
        File.WriteAllText(workspace.PolicyPath, policy.Replace("\nbuild:\n", $"\nbuild:\n  limits:\n{limits}", StringComparison.Ordinal));
        return workspace;
    }

    private static CliProcess StartBuild(ReleaseWorkspace workspace, string repository, string output) =>
        CliProcess.Start(["build", "--repo", repository, "--ref", "HEAD", "--out", output, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]);

    /// <summary>Waits until the builder's container runs its command; returns the engine's footprint and the build container's creation time.</summary>
    private static (EngineFootprint Footprint, DateTimeOffset Created) WaitUntilBuilding(Uri endpoint, string builderId, CliProcess cli)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (EngineFootprint.Of(endpoint, builderId) is { Containers.Count: 2, LogPaths.Count: 2 } footprint && File.Exists(footprint.LogPaths[0])
                && footprint.LogBytes() > 0)
            {
                var created = EngineFootprint.Docker(endpoint, "inspect", "--format", "{{.Created}}", footprint.Containers[0]).ThrowOnFailure().StandardOutput.Trim();
                return (footprint, DateTimeOffset.Parse(created, CultureInfo.InvariantCulture));
            }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"the build never ran; buildtrust said:\n{cli.Error}");
    }

    private static void AssertNothingHalfWritten(string output, string builderId)
    {
        Assert.False(File.Exists(Path.Combine(output, builderId, ReleaseBuild.ProvenanceFileName)));
        Assert.Equal(["build.log"], Directory.EnumerateFileSystemEntries(Path.Combine(output, builderId)).Select(Path.GetFileName));
    }

    [EngineFact]
    public async Task A_build_whose_buildtrust_was_sigkilled_is_removed_by_the_engine_within_a_minute_of_its_deadline()
    {
        // On an engine of its own: on a shared one, another build's clean-up may remove it first (its owner is dead).
        var image = await TestImages.CToolchainAsync();
        using var engine = await DedicatedEngine.StartAsync();
        await ImageLoader.LoadAsync(engine.Endpoint, null, image, CancellationToken.None);
        using var workspace = await WorkspaceAsync("lifetime-sigkill", "echo building; sleep 300", "    time: 5s\n", engine.Endpoint);
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");
        using var cli = StartBuild(workspace, repository.Path, output.Path);
        var (footprint, created) = WaitUntilBuilding(engine.Endpoint, "lifetime-sigkill", cli);

        cli.Kill();
        cli.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.NotNull(EngineFootprint.Of(engine.Endpoint, "lifetime-sigkill"));   // no clean-up ran: what follows is the engine's doing
        var deadline = created + TimeSpan.FromSeconds(5);
        var gone = EngineFootprint.WaitUntilGone(engine.Endpoint, "lifetime-sigkill", deadline + TimeSpan.FromSeconds(60) - DateTimeOffset.UtcNow);

        Assert.NotNull(gone);
        log.WriteLine($"gone {(DateTimeOffset.UtcNow - deadline).TotalSeconds:0.0} s after its deadline");
        Assert.Empty(footprint.Leftovers());
        Assert.False(File.Exists(Path.Combine(output.Path, "lifetime-sigkill", ReleaseBuild.ProvenanceFileName)));
    }

    [EngineFact]
    public async Task A_container_abandoned_by_its_caller_is_removed_at_its_lifetime_even_when_it_kills_what_it_can_and_forks_without_end()
    {
        var image = await TestImages.CToolchainAsync();
        using var engine = DockerContainerEngine.Connect(TestEngines.A, null);
        var watch = Stopwatch.StartNew();
        var id = await AbandonedContainer.CreateAsync(engine, image, "lifetime-abandoned");
        try
        {
            await engine.StartAsync(id, _ => Task.FromResult(false), CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(2, EngineFootprint.Of(TestEngines.A, "lifetime-abandoned")?.Containers.Count);
            var pids = $"/sys/fs/cgroup/pids/docker/{id}";
            if (Directory.Exists(pids)) log.WriteLine($"the build's pids: {File.ReadAllText($"{pids}/pids.current").Trim()} of {File.ReadAllText($"{pids}/pids.max").Trim()}");

            var gone = EngineFootprint.WaitUntilGone(TestEngines.A, "lifetime-abandoned", TimeSpan.FromSeconds(65) - watch.Elapsed);

            Assert.NotNull(gone);
            log.WriteLine($"gone {watch.Elapsed.TotalSeconds:0.0} s after its creation (lifetime 5 s)");
        }
        finally
        {
            await engine.RemoveAsync(id, CancellationToken.None);
        }
    }

    [EngineFact]
    public Task Sigterm_stops_a_build_with_exit_code_3_leaving_no_container_and_nothing_half_written() => StopsCleanlyAsync("TERM");

    [EngineFact]
    public Task Sighup_stops_a_build_with_exit_code_3_leaving_no_container_and_nothing_half_written() => StopsCleanlyAsync("HUP");

    private async Task StopsCleanlyAsync(string signal)
    {
        var builder = $"lifetime-sig{signal.ToLowerInvariant()}";
        using var workspace = await WorkspaceAsync(builder, "echo building; mkdir -p /out/bin; echo partial > /out/bin/partial; sleep 300", "    time: 10m\n");
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");
        using var cli = StartBuild(workspace, repository.Path, output.Path);
        var (footprint, _) = WaitUntilBuilding(TestEngines.A, builder, cli);

        cli.Signal(signal);
        var exitCode = cli.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 3, cli.Error);
        Assert.Contains($"{builder}: FAILED (Cancelled)", cli.Error);
        Assert.Empty(footprint.Leftovers());
        AssertNothingHalfWritten(output.Path, builder);
    }

    [EngineFact]
    public async Task A_build_over_its_time_limit_fails_with_exit_code_1_naming_the_limit_and_leaves_nothing()
    {
        using var workspace = await WorkspaceAsync("lifetime-timeout", "echo building; sleep 300", "    time: 4s\n");
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");
        using var cli = StartBuild(workspace, repository.Path, output.Path);
        var (footprint, _) = WaitUntilBuilding(TestEngines.A, "lifetime-timeout", cli);

        var exitCode = cli.WaitForExit(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 1, cli.Error);
        Assert.Contains("lifetime-timeout: FAILED (BuildFailed): the build did not finish within 4 seconds (build.limits.time)", cli.Error);
        Assert.Empty(footprint.Leftovers());
        AssertNothingHalfWritten(output.Path, "lifetime-timeout");
    }
}
