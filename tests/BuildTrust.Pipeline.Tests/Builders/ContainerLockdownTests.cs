using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Tests.Builders;

[Collection("engines")]
public sealed class ContainerLockdownTests : IDisposable
{
    private readonly BuilderHarness harness = new();

    public void Dispose() => harness.Dispose();

    private async Task<BuilderRunResult> RunScriptAsync(string script, BuildLimits? limits = null, CancellationToken cancellationToken = default,
        IProgress<BuildProgress>? progress = null)
    {
        var image = await TestImages.CToolchainAsync();
        using var repository = SampleRepository.Create("c-hello");
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        return await harness.RunAsync(BuilderHarness.Builder("builder-a", TestEngines.A), BuilderHarness.Recipe(image.Id, ["bash", "-c", script]),
            source, limits, cancellationToken, progress);
    }

    [EngineFact]
    public async Task A_recipe_that_reaches_the_network_fails()
    {
        var result = await RunScriptAsync("if (exec 3<>/dev/tcp/192.0.2.1/80) 2>/tmp/error; then echo reached > /out/leak; else cat /tmp/error; exit 7; fi");
        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("exited with code 7", result.FailureMessage);
        Assert.Contains("Network is unreachable", File.ReadAllText(result.LogPath));
    }

    [EngineFact]
    public async Task The_control_build_of_the_network_test_succeeds_so_the_refusal_is_the_network()
    {
        var result = await RunScriptAsync("echo offline > /out/ok");
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [EngineFact]
    public async Task A_recipe_that_writes_outside_the_output_folder_fails()
    {
        foreach (var target in new[] { "/etc/evil", "/src/evil", "/usr/bin/evil" })
        {
            var result = await RunScriptAsync($"echo x > {target} && echo x > /out/ok");
            Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        }
    }

    [EngineFact]
    public async Task A_recipe_that_reads_a_host_path_fails()
    {
        using var secret = new TemporaryDirectory("buildtrust-host-secret-");
        File.WriteAllText(secret.Combine("secret"), "host only");
        var result = await RunScriptAsync($"cat {secret.Combine("secret")} > /out/leak");
        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
    }

    [EngineFact]
    public async Task Builds_run_as_a_non_root_user_without_capabilities()
    {
        var result = await RunScriptAsync("id -u > /out/uid; grep CapEff /proc/self/status > /out/caps; grep NoNewPrivs /proc/self/status > /out/nnp");
        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal("1000", File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "uid")).Trim());
        Assert.EndsWith("0000000000000000", File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "caps")).Trim());
        Assert.EndsWith("1", File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "nnp")).Trim());
    }

    [EngineFact]
    public async Task Collecting_a_symlink_pointing_outside_is_refused()
    {
        var result = await RunScriptAsync("mkdir -p /out/bin && echo ok > /out/bin/ok && ln -s /etc/passwd /out/bin/passwd");
        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("symbolic link", result.FailureMessage);
        Assert.False(Directory.Exists(result.ArtifactsDirectory) && Directory.EnumerateFiles(result.ArtifactsDirectory, "*", SearchOption.AllDirectories).Any());
    }

    [EngineFact]
    public async Task Collecting_a_hard_link_or_a_fifo_is_refused()
    {
        var hard = await RunScriptAsync("echo ok > /out/a && ln /out/a /out/b");
        Assert.Equal(BuildFailureKind.BuildFailed, hard.Failure);
        Assert.Contains("hard link", hard.FailureMessage);
        var fifo = await RunScriptAsync("echo ok > /out/a && mkfifo /out/pipe");
        Assert.Equal(BuildFailureKind.BuildFailed, fifo.Failure);
        Assert.Contains("Fifo", fifo.FailureMessage);
    }

    [EngineTheory]
    [InlineData("d=\"/out/bin/a\n0000000000000000000000000000000000000000000000000000000000000000  bin\" && mkdir -p \"$d\" && printf x > \"$d/zz\"", "control character U+000A")]
    [InlineData("printf x > /out/bin/$'\\xff\\xfe'", "bytes that are not UTF-8")]
    [InlineData("printf x > /out/bin/$'\\xe2\\x80\\xae'gpj.exe", "format character U+202E")]
    [InlineData("printf x > /out/bin/$'e\\xcc\\x81'", "non-ASCII character U+0301")]
    [InlineData("printf x > '/out/bin/a\\b'", "unsafe name")]
    public async Task A_build_whose_output_names_could_lie_in_a_listing_is_refused_at_collection(string create, string reason)
    {
        var result = await RunScriptAsync($"mkdir -p /out/bin && printf ok > /out/bin/ok && {create}");

        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains(reason, result.FailureMessage);
        Assert.DoesNotContain('\n', result.FailureMessage!);
        Assert.False(Directory.Exists(result.ArtifactsDirectory));
    }

    [EngineFact]
    public async Task A_build_over_its_time_limit_fails_and_leaves_no_container()
    {
        var result = await RunScriptAsync("sleep 120", BuildLimits.Default with { Timeout = TimeSpan.FromSeconds(3) });
        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("did not finish within", result.FailureMessage);
        await AssertNoContainerOfAsync(result.InvocationId);
    }

    [EngineFact]
    public async Task A_cancelled_build_leaves_no_container_behind()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Phase == BuildPhase.Building) cancel.CancelAfter(TimeSpan.FromSeconds(1));
        });
        var result = await RunScriptAsync("sleep 120", cancellationToken: cancel.Token, progress: progress);
        Assert.Equal(BuildFailureKind.Cancelled, result.Failure);
        await AssertNoContainerOfAsync(result.InvocationId);
    }

    [EngineFact]
    public async Task An_image_that_is_not_on_the_engine_is_reported_as_unavailable()
    {
        using var repository = SampleRepository.Create("c-hello");
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        var result = await harness.RunAsync(BuilderHarness.Builder("builder-a", TestEngines.A),
            BuilderHarness.Recipe("sha256:" + new string('e', 64), ["true"]), source);
        Assert.Equal(BuildFailureKind.Infrastructure, result.Failure);
        Assert.Contains("is not present", result.FailureMessage);
    }

    [EngineFact]
    public async Task An_image_whose_digest_differs_from_the_pinned_one_is_refused()
    {
        var image = await TestImages.CToolchainAsync();
        var socket = TestEngines.A.ToString();
        ExternalProcess.Run("docker", ["-H", socket, "tag", image.Id, "buildtrust-test/retagged:latest"]).ThrowOnFailure();
        using var repository = SampleRepository.Create("c-hello");
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        var result = await harness.RunAsync(BuilderHarness.Builder("builder-a", TestEngines.A),
            BuilderHarness.Recipe("buildtrust-test/retagged@sha256:" + new string('a', 64), ["true"]), source);
        Assert.Equal(BuildFailureKind.ImageMismatch, result.Failure);
        Assert.Contains("pins sha256:" + new string('a', 64), result.FailureMessage);
    }

    private static async Task AssertNoContainerOfAsync(string invocation)
    {
        using var engine = DockerContainerEngine.Connect(TestEngines.A, null);
        var left = await engine.ListContainersAsync($"{BuilderRunner.InvocationLabel}={invocation}", CancellationToken.None);
        Assert.Empty(left);
    }

    private sealed class SynchronousProgress(Action<BuildProgress> report) : IProgress<BuildProgress>
    {
        public void Report(BuildProgress value) => report(value);
    }
}
