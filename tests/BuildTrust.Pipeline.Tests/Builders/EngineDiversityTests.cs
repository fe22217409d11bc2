using System.Diagnostics;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Testing.Containers;
using BuildTrust.Verifiers.Policy;
using Xunit.Abstractions;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>
/// Builders on different kinds of engine (dockerd, Podman's Docker-compatible service) and on a remote engine in a network
/// namespace of its own, in any ordinary image: the same artifacts, the same lock-down, the same time limit, and provenance
/// that says which engine built.
/// </summary>
[Collection("engines")]
public sealed class EngineDiversityTests(ITestOutputHelper log) : IDisposable
{
    private static readonly string[] CCommand = ["make", "-C", "samples/c-hello"];

    private readonly BuilderHarness harness = new();

    public void Dispose() => harness.Dispose();

    private async Task<BuilderRunResult> BuildAsync(string builderId, Uri endpoint, string imageId, string sample, string[] command, string output,
        string? tls = null, BuildLimits? limits = null, params string[] variations)
    {
        using var repository = SampleRepository.Create(sample);
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        var result = await harness.RunAsync(BuilderHarness.Builder(builderId, endpoint, variations), BuilderHarness.Recipe(imageId, command, output), source,
            limits, tlsDirectory: tls);
        if (!result.Succeeded) log.WriteLine($"{builderId}: {result.FailureMessage}\n{(File.Exists(result.LogPath) ? File.ReadAllText(result.LogPath) : "")}");
        return result;
    }

    [PodmanFact]
    public async Task A_plain_mmdebstrap_image_without_build_folders_builds_bit_identical_on_dockerd_and_on_podman()
    {
        var image = await TestImages.PlainDebianAsync();
        await TestImages.OnAsync(image, TestEngines.Podman!, null);
        var inspect = EngineFootprint.Docker(TestEngines.A, "run", "--rm", "--network", "none", image.Id, "sh", "-c", "test ! -e /build && test ! -e /out && test ! -e /src && echo plain");
        Assert.Equal("plain", inspect.StandardOutput.Trim());

        var dockerd = await BuildAsync("plain-dockerd", TestEngines.A, image.Id, "c-hello", CCommand, "/out/bin/**");
        var podman = await BuildAsync("plain-podman", TestEngines.Podman!, image.Id, "c-hello", CCommand, "/out/bin/**", variations: BuilderHarness.AllVariations);

        Assert.True(dockerd.Succeeded, dockerd.FailureMessage);
        Assert.True(podman.Succeeded, podman.FailureMessage);
        Assert.Equal(["bin/VERSION.txt", "bin/hello"], dockerd.Artifacts.Select(a => a.Name));
        Assert.Equal(dockerd.Artifacts, podman.Artifacts);
    }

    [PodmanFact]
    public async Task Both_samples_build_identical_on_dockerd_and_podman_and_each_provenance_names_its_engine()
    {
        var c = await TestImages.CToolchainAsync();
        var dotnet = await TestImages.DotnetSdkAsync();
        await TestImages.OnAsync(c, TestEngines.Podman!, null);
        await TestImages.OnAsync(dotnet, TestEngines.Podman!, null);
        string[] dotnetCommand = ["dotnet", "publish", "samples/dotnet-hello", "-c", "Release", "-o", "/out/app"];

        var cDockerd = await BuildAsync("kind-dockerd", TestEngines.A, c.Id, "c-hello", CCommand, "/out/bin/**");
        var cPodman = await BuildAsync("kind-podman", TestEngines.Podman!, c.Id, "c-hello", CCommand, "/out/bin/**", variations: BuilderHarness.AllVariations);
        var dotnetDockerd = await BuildAsync("kind-dockerd", TestEngines.A, dotnet.Id, "dotnet-hello", dotnetCommand, "/out/app/**");
        var dotnetPodman = await BuildAsync("kind-podman", TestEngines.Podman!, dotnet.Id, "dotnet-hello", dotnetCommand, "/out/app/**", variations: BuilderHarness.AllVariations);

        Assert.True(cDockerd.Succeeded && cPodman.Succeeded && dotnetDockerd.Succeeded && dotnetPodman.Succeeded);
        Assert.Equal(cDockerd.Artifacts, cPodman.Artifacts);
        Assert.Contains(dotnetDockerd.Artifacts, a => a.Name == "app/Hello.dll");
        Assert.Equal(dotnetDockerd.Artifacts, dotnetPodman.Artifacts);
        var dockerdRecord = cDockerd.Fingerprint!.Recorded();
        var podmanRecord = cPodman.Fingerprint!.Recorded();
        Assert.Equal("dockerd", dockerdRecord["engine-kind"]);
        Assert.Equal("podman", podmanRecord["engine-kind"]);
        Assert.StartsWith("podman ", podmanRecord["engine-id"], StringComparison.Ordinal);
        Assert.NotEqual(dockerdRecord["engine-id"], podmanRecord["engine-id"]);
        // Podman's /info ID is random per call; the engine id the quorum relies on must not be.
        Assert.Equal(podmanRecord["engine-id"], dotnetPodman.Fingerprint!.Recorded()["engine-id"]);
    }

    [PodmanFact]
    public async Task On_podman_a_build_can_write_neither_its_source_nor_past_its_caps_nor_reach_the_network()
    {
        var image = await TestImages.CToolchainAsync();
        await TestImages.OnAsync(image, TestEngines.Podman!, null);
        var limits = BuildLimits.Default with { OutBytes = 4L << 20 };
        foreach (var (script, expected) in new[]
        {
            ("echo x > /src/evil", "exited with code"),
            ("echo x > /etc/evil", "exited with code"),
            ("head -c 8388608 /dev/zero > /out/big", "/out is full: the build reached its cap of 4MiB (build.limits.disk.out)"),
            ("exec 3<>/dev/tcp/192.0.2.1/80", "exited with code"),
        })
        {
            var result = await BuildAsync("podman-lockdown", TestEngines.Podman!, image.Id, "c-hello", ["bash", "-c", script + " && echo done > /out/ok"], "/out/**", limits: limits);
            Assert.True(result.Failure == BuildFailureKind.BuildFailed, $"'{script}' was not refused: {result.FailureMessage}");
            Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        }
        var control = await BuildAsync("podman-lockdown", TestEngines.Podman!, image.Id, "c-hello", ["bash", "-c", "head -c 1048576 /dev/zero > /out/ok"], "/out/**", limits: limits);
        Assert.True(control.Succeeded, control.FailureMessage);
    }

    [PodmanFact]
    public async Task On_podman_a_container_abandoned_by_its_caller_is_removed_at_its_lifetime_even_when_it_kills_what_it_can_and_forks()
    {
        var image = await TestImages.CToolchainAsync();
        await TestImages.OnAsync(image, TestEngines.Podman!, null);
        using var engine = DockerContainerEngine.Connect(TestEngines.Podman!, null);
        var watch = Stopwatch.StartNew();
        var id = await AbandonedContainer.CreateAsync(engine, image, "podman-lifetime");
        try
        {
            await engine.StartAsync(id, _ => Task.FromResult(false), CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2));
            // On Podman there is no watchdog container: conmon holds the build's own timeout (PodmanContainers).
            Assert.Equal(1, EngineFootprint.Of(TestEngines.Podman!, "podman-lifetime")?.Containers.Count);

            var gone = EngineFootprint.WaitUntilGone(TestEngines.Podman!, "podman-lifetime", TimeSpan.FromSeconds(65) - watch.Elapsed);

            Assert.NotNull(gone);
            log.WriteLine($"gone {watch.Elapsed.TotalSeconds:0.0} s after its creation (lifetime 5 s)");
        }
        finally
        {
            await engine.RemoveAsync(id, CancellationToken.None);
        }
    }

    [PodmanFact]
    public async Task On_podman_a_build_over_its_time_limit_fails_naming_the_limit()
    {
        var image = await TestImages.CToolchainAsync();
        await TestImages.OnAsync(image, TestEngines.Podman!, null);
        var result = await BuildAsync("podman-timeout", TestEngines.Podman!, image.Id, "c-hello", ["sh", "-c", "sleep 300"], "/out/**",
            limits: BuildLimits.Default with { Timeout = TimeSpan.FromSeconds(4) });
        Assert.Equal(BuildFailureKind.BuildFailed, result.Failure);
        Assert.Contains("did not finish within 4 seconds (build.limits.time)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Null(EngineFootprint.Of(TestEngines.Podman!, "podman-timeout"));
    }

    [RemoteEngineFact]
    public async Task A_remote_engine_in_its_own_network_namespace_builds_over_mutual_tls_the_same_artifacts_and_names_its_host()
    {
        var image = await TestImages.CToolchainAsync();
        await TestImages.OnAsync(image, TestEngines.Remote!, TestEngines.RemoteTls);

        var local = await BuildAsync("local", TestEngines.A, image.Id, "c-hello", CCommand, "/out/bin/**");
        var remote = await BuildAsync("remote", TestEngines.Remote!, image.Id, "c-hello", CCommand, "/out/bin/**", tls: TestEngines.RemoteTls);

        Assert.True(remote.Succeeded, remote.FailureMessage);
        Assert.Equal(local.Artifacts, remote.Artifacts);
        Assert.Equal("buildtrust-remote", remote.Fingerprint!.Recorded()["engine-host"]);
        Assert.NotEqual(local.Fingerprint!.Recorded()["engine-host"], remote.Fingerprint.Recorded()["engine-host"]);
    }

    [RemoteEngineFact]
    public async Task The_remote_engine_is_not_reached_without_the_client_certificate_or_by_plain_tcp()
    {
        // The server's CA is trusted, but the client certificate is self-made: the engine must refuse it.
        using var impostorTls = new Testing.Tools.TemporaryDirectory("buildtrust-impostor-tls-");
        Assert.Equal(0, BuildTrust.Pipeline.Processes.ExternalProcess.Run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-days", "2", "-subj", "/CN=impostor", "-keyout", impostorTls.Combine("key.pem"), "-out", impostorTls.Combine("cert.pem")]).ExitCode);
        File.Copy(Path.Combine(TestEngines.RemoteTls!, "ca.pem"), impostorTls.Combine("ca.pem"));
        using var impostor = DockerContainerEngine.Connect(TestEngines.Remote!, impostorTls.Path);
        await Assert.ThrowsAsync<ContainerEngineException>(() => impostor.DescribeAsync(CancellationToken.None));
        Assert.Throws<ContainerEngineException>(() => DockerContainerEngine.Connect(TestEngines.Remote!, null));
        using var genuine = DockerContainerEngine.Connect(TestEngines.Remote!, TestEngines.RemoteTls);
        Assert.Equal("buildtrust-remote", (await genuine.DescribeAsync(CancellationToken.None)).Host);
    }
}
