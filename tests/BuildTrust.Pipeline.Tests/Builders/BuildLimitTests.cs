using BuildTrust.Pipeline.Builders;
using BuildTrust.Testing.Containers;
using BuildTrust.Verifiers.Policy;
using Xunit.Abstractions;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>
/// build.limits on a real engine: a build past a cap fails with the cap named, and leaves no container, volume,
/// engine log or mount behind; each refusal has a twin that stays under the same cap and succeeds.
/// </summary>
[Collection("engines")]
public sealed class BuildLimitTests(ITestOutputHelper output) : IDisposable
{
    private static readonly BuildLimits Small = BuildLimits.Default with
    {
        MemoryBytes = 512L << 20, OutBytes = 8L << 20, BuildBytes = 32L << 20, TmpBytes = 8L << 20, LogBytes = 2L << 20,
    };

    private readonly BuilderHarness harness = new();

    public void Dispose() => harness.Dispose();

    /// <summary>Runs <paramref name="script"/> as builder <paramref name="builderId"/> and reads its footprint on the engine once it builds.</summary>
    private async Task<(BuilderRunResult Result, EngineFootprint Footprint, long MaxEngineLogBytes)> RunAsync(string builderId, string script, BuildLimits limits)
    {
        var image = await TestImages.CToolchainAsync();
        using var repository = SampleRepository.Create("c-hello");
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        EngineFootprint? footprint = null;
        long maxLog = 0;
        var progress = new SynchronousProgress(p =>
        {
            if (p.Phase != BuildPhase.Building) return;
            // The engine names a container's log file when it starts it: read again until both have one.
            if (footprint is not { LogPaths.Count: 2 }) footprint = EngineFootprint.Of(TestEngines.A, builderId) ?? footprint;
            if (footprint is not null) maxLog = Math.Max(maxLog, footprint.LogBytes());
        });
        var result = await harness.RunAsync(BuilderHarness.Builder(builderId, TestEngines.A), BuilderHarness.Recipe(image.Id, ["bash", "-c", script]),
            source, limits, progress: progress);
        Assert.NotNull(footprint);
        return (result, footprint, maxLog);
    }

    private static void AssertNothingLeft(BuilderRunResult result, EngineFootprint footprint)
    {
        Assert.Equal(2, footprint.Containers.Count);   // the build and its watchdog
        Assert.Contains(footprint.Volumes, _ => true);
        Assert.Empty(footprint.Leftovers());
        Assert.False(Directory.Exists(result.ArtifactsDirectory));
        Assert.Empty(Directory.EnumerateDirectories(Path.GetDirectoryName(result.ArtifactsDirectory)!));
    }

    [EngineFact]
    public async Task A_build_that_writes_past_its_out_cap_fails_naming_the_cap_and_leaves_nothing()
    {
        var (result, footprint, _) = await RunAsync("limits-out", "dd if=/dev/zero of=/out/big bs=1M count=20", Small);

        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("/out is full: the build reached its cap of 8MiB (build.limits.disk.out)", result.FailureMessage);
        AssertNothingLeft(result, footprint);
    }

    [EngineFact]
    public async Task A_build_that_stays_under_its_out_cap_collects_its_file()
    {
        var (result, footprint, _) = await RunAsync("limits-out-ok", "dd if=/dev/zero of=/out/big bs=1M count=6", Small);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(6L << 20, Assert.Single(result.Artifacts).Size);
        Assert.Empty(footprint.Leftovers());
    }

    [EngineFact]
    public async Task A_build_that_writes_past_its_tmp_cap_through_home_fails_naming_the_cap_and_leaves_nothing()
    {
        var (result, footprint, _) = await RunAsync("limits-tmp", "dd if=/dev/zero of=\"$HOME/big\" bs=1M count=20 && echo ok > /out/ok", Small);

        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("/tmp is full: the build reached its cap of 8MiB (build.limits.disk.tmp (also $HOME))", result.FailureMessage);
        AssertNothingLeft(result, footprint);
    }

    [EngineFact]
    public async Task A_build_that_fills_its_working_directory_fails_naming_the_build_cap()
    {
        var (result, footprint, _) = await RunAsync("limits-build", "dd if=/dev/zero of=big bs=1M count=64 && echo ok > /out/ok", Small);

        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("/build is full: the build reached its cap of 32MiB (build.limits.disk.build (the working directory))", result.FailureMessage);
        AssertNothingLeft(result, footprint);
    }

    [EngineFact]
    public async Task A_build_that_floods_its_output_is_stopped_and_the_engines_log_stays_under_its_cap()
    {
        var (result, footprint, maxEngineLog) = await RunAsync("limits-log", "yes 'flooding the log'", Small);

        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("wrote more than 2MiB of output (build.limits.log) and was stopped", result.FailureMessage);
        output.WriteLine($"engine log files peaked at {maxEngineLog} bytes (cap {Small.LogBytes}); build.log {new FileInfo(result.LogPath).Length} bytes");
        Assert.InRange(maxEngineLog, 1, Small.LogBytes);
        Assert.InRange(new FileInfo(result.LogPath).Length, Small.LogBytes, Small.LogBytes + 4096);
        AssertNothingLeft(result, footprint);
    }

    [EngineFact]
    public async Task A_build_whose_output_stays_under_the_log_cap_succeeds()
    {
        var (result, _, _) = await RunAsync("limits-log-ok", "yes 'within the log' | head -c 1000000; echo ok > /out/ok", Small);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [EngineFact]
    public async Task A_build_over_its_memory_limit_fails_naming_the_memory_limit()
    {
        var limits = Small with { MemoryBytes = 256L << 20 };
        var (result, footprint, _) = await RunAsync("limits-memory", "x=$(head -c 400m /dev/zero | tr '\\0' a); echo ${#x} > /out/size", limits);

        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("the kernel killed 1 of its processes at the memory limit of 256MiB (build.limits.memory", result.FailureMessage);
        AssertNothingLeft(result, footprint);
    }

    [Fact]
    public void Limits_whose_places_do_not_fit_in_memory_are_refused_before_anything_runs()
    {
        var limits = BuildLimits.Default with { MemoryBytes = 3L << 30 };
        var error = Assert.Throws<ArgumentException>(() => new BuilderRunner(BuilderHarness.Builder("x", new Uri("unix:///nowhere.sock")),
            BuilderHarness.Recipe("sha256:" + new string('0', 64), ["true"]), limits));
        Assert.Contains("must exceed disk.out + disk.build + disk.tmp (3GiB) by at least 128MiB", error.Message);
    }

    private sealed class SynchronousProgress(Action<BuildProgress> report) : IProgress<BuildProgress>
    {
        public void Report(BuildProgress value) => report(value);
    }
}
