using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// The container engine over Docker's API (Docker.DotNet): dockerd, or Podman's Docker-compatible service, told apart by what
/// the engine reports (<see cref="EngineKind"/>). The lock-down is the same on both; on Podman the container is created through
/// Podman's own API, where the same guarantees are reached another way (<see cref="PodmanContainers"/>). Docker.DotNet's types
/// stay inside this class.
/// </summary>
public sealed class DockerContainerEngine : IContainerEngine
{
    /// <summary>On a build container: the id of its watchdog (see <see cref="CreateWatchdogAsync"/>); on a watchdog: empty.</summary>
    public const string WatchdogLabel = "dev.buildtrust.watchdog";

    /// <summary>The watchdog's user: not a build's (1000 or 2345), so a build can neither signal nor trace it.</summary>
    private const string WatchdogUser = "65534:65534";

    private readonly DockerClient client;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> watchdogs = new(StringComparer.Ordinal);

    /// <summary>
    /// Each started container's attach stream, kept open until the container is removed: Podman closes a container's stdin
    /// when an attach ends, and the build's shell holds the writable places on its stdin until /out is collected.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IDisposable> attached = new(StringComparer.Ordinal);

    private readonly EngineHttp http;
    private readonly PodmanContainers podman;
    private Task<EngineKind>? kind;

    private DockerContainerEngine(DockerClient client, Uri endpoint, string? tlsDirectory)
    {
        this.client = client;
        Endpoint = endpoint.ToString();
        http = new EngineHttp(endpoint, tlsDirectory);
        podman = new PodmanContainers(http);
    }

    public string Endpoint { get; }

    public static IContainerEngine Connect(Uri endpoint, string? tlsDirectory) =>
        new DockerContainerEngine(DockerEndpoint.Connect(endpoint, tlsDirectory), endpoint, tlsDirectory);

    public Task<EngineDescription> DescribeAsync(CancellationToken cancellationToken) => Call("describe the engine", async () =>
    {
        var (engineKind, apiVersion, podmanVersion) = await http.PingAsync(cancellationToken);
        kind ??= Task.FromResult(engineKind);
        var version = engineKind == EngineKind.Podman ? null : await client.System.GetVersionAsync(cancellationToken);
        var info = await client.System.GetSystemInfoAsync(cancellationToken);
        return new EngineDescription(version?.Version ?? podmanVersion ?? info.ServerVersion ?? "", version?.APIVersion ?? apiVersion, info.KernelVersion ?? "",
            info.OperatingSystem ?? "", info.Architecture ?? "", info.NCPU, info.MemTotal)
        {
            EngineId = EngineIdOf(engineKind, info.ID, info.Name, info.DockerRootDir), Host = info.Name ?? "", Kind = engineKind,
        };
    });

    /// <summary>Podman names itself in <c>/_ping</c>'s headers; dockerd does not.</summary>
    private Task<EngineKind> KindAsync() => kind ??= Call("describe the engine", async () => (await http.PingAsync(CancellationToken.None)).Kind);

    /// <summary>
    /// dockerd 20.10 derives its ID from the host's trust key (/etc/docker/key.json), so daemons on one host share it; with the
    /// data root it names one daemon. Podman reports a new random ID on every call, which would make one engine look like many:
    /// its host name and storage root name it instead. Empty when the engine reports nothing usable (then the builder cannot be
    /// shown independent).
    /// </summary>
    private static string EngineIdOf(EngineKind kind, string? id, string? host, string? dataRoot)
    {
        string?[] parts = kind == EngineKind.Podman ? ["podman", host, dataRoot] : [id, dataRoot];
        if (kind == EngineKind.Podman && (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(dataRoot))) return "";
        return string.Join(' ', parts.Where(part => !string.IsNullOrWhiteSpace(part)));
    }

    public Task<ImageDescription?> InspectImageAsync(string reference, CancellationToken cancellationToken) => Call($"inspect image {reference}", async () =>
    {
        try
        {
            var image = await client.Images.InspectImageAsync(reference, cancellationToken);
            return new ImageDescription(image.ID, [.. image.RepoDigests ?? []], [.. image.RepoTags ?? []]);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    });

    public Task LoadImageAsync(Stream archive, CancellationToken cancellationToken) => Call("load an image", async () =>
    {
        string? error = null;
        var progress = new Progress<JSONMessage>(message => error ??= message.ErrorMessage ?? message.Error?.Message);
        await client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, archive, progress, cancellationToken);
        if (error is not null) throw new ContainerEngineException($"{Endpoint}: loading the image failed: {error}");
        return true;
    });

    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) => Call("create a container", async () =>
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.User.StartsWith("0:", StringComparison.Ordinal) || spec.User.StartsWith("root", StringComparison.Ordinal))
            throw new ArgumentException("builders never run as root", nameof(spec));
        if (spec.User.Split(':')[0] == WatchdogUser.Split(':')[0]) throw new ArgumentException($"uid {WatchdogUser} belongs to the watchdog", nameof(spec));
        if (spec.Lifetime <= TimeSpan.Zero) throw new ArgumentException("a container needs a lifetime", nameof(spec));
        if (await KindAsync() == EngineKind.Podman) return await CreateOnPodmanAsync(spec, cancellationToken);
        var watchdog = await CreateWatchdogAsync(spec, cancellationToken);
        try
        {
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = spec.ImageId,
                Entrypoint = [.. spec.Command.Take(1)],
                Cmd = [.. spec.Command.Skip(1)],
                Env = [.. spec.Environment],
                User = spec.User,
                Hostname = spec.Hostname,
                Domainname = spec.Domainname,
                WorkingDir = spec.WorkingDirectory,
                Labels = new Dictionary<string, string>(spec.Labels) { [WatchdogLabel] = watchdog },
                NetworkDisabled = true,
                AttachStdout = true,
                AttachStderr = true,
                // Stdin stays open and unused: a shell can wait on it with its 'read' builtin, needing nothing from the image.
                OpenStdin = true,
                Healthcheck = new HealthConfig { Test = ["NONE"] },
                HostConfig = LockedDown(new HostConfig
                {
                    Mounts = [.. spec.Scratch.Select(place => ScratchMount(place.Key, place.Value, spec.Labels)),
                              .. spec.Volumes.Select(path => new Mount
                              {
                                  Type = "volume", Target = path, VolumeOptions = new VolumeOptions { NoCopy = true, Labels = spec.Labels.ToDictionary() },
                              })],
                    Memory = spec.MemoryBytes,
                    MemorySwap = spec.MemoryBytes,
                    PidsLimit = spec.PidsLimit,
                    CpusetCpus = spec.CpuSet ?? "",
                    ShmSize = 64L << 20,
                    // The build joins the watchdog's process namespace: when the watchdog's first process exits, the kernel kills every process in it.
                    PidMode = $"container:{watchdog}",
                    LogConfig = new LogConfig
                    {
                        Type = "json-file",
                        Config = new Dictionary<string, string>
                        {
                            ["max-size"] = $"{Math.Max(spec.LogBytes / 2 / 1024, 64)}k",
                            ["max-file"] = "2",
                        },
                    },
                }),
            }, cancellationToken);
            watchdogs[created.ID] = watchdog;
            return created.ID;
        }
        catch
        {
            await RemoveOneAsync(watchdog, CancellationToken.None);
            throw;
        }
    });

    /// <summary>
    /// The container that enforces a build's lifetime on the engine, so that it holds when BuildTrust is killed (SIGKILL,
    /// a CI runner cleaning up its process group) and needs nothing from the image but a shell's builtins. Its first
    /// process is the first of a process namespace that the build joins; the engine's health check runs
    /// <c>kill -s USR1 1</c> once, <c>Lifetime</c> after the start; the trap exits; the kernel kills every process of
    /// the namespace, so the build container stops, and the engine removes both (AutoRemove). It runs as another
    /// user (the build cannot signal or trace it) in its own cgroup (a fork bomb at the build's pids limit cannot keep
    /// the health check from starting), and reaps the build's orphans (<c>wait</c>; 'read' alone would leave zombies
    /// that count against the build's pids limit). A host process (setsid) was not chosen: CI runners kill whole
    /// process groups and cgroups on cancellation, and a remote engine's host is not ours.
    /// </summary>
    private async Task<string> CreateOnPodmanAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var id = await podman.CreateAsync(spec, cancellationToken);
        try
        {
            if (await podman.DroppedAsync(id, spec, cancellationToken) is { } dropped)
                throw new ContainerEngineException($"{Endpoint}: Podman did not keep {dropped}; refusing to build without it");
            return id;
        }
        catch
        {
            await RemoveOneAsync(id, CancellationToken.None);
            throw;
        }
    }

    private async Task<string> CreateWatchdogAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = spec.ImageId,
            Entrypoint = ["/bin/sh", "-c", "trap 'exit 0' USR1 TERM; exec 3<&0; read -r _ <&3 & wait"],
            Cmd = [],
            User = WatchdogUser,
            WorkingDir = "/",
            Labels = new Dictionary<string, string>(spec.Labels) { [WatchdogLabel] = "" },
            NetworkDisabled = true,
            OpenStdin = true,
            Healthcheck = new HealthConfig { Test = ["CMD-SHELL", "kill -s USR1 1"], Interval = spec.Lifetime, Timeout = TimeSpan.FromSeconds(30), Retries = 1 },
            HostConfig = LockedDown(new HostConfig
            {
                Memory = 32L << 20,
                MemorySwap = 32L << 20,
                PidsLimit = 16,
                LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "64k", ["max-file"] = "1" } },
            }),
        }, cancellationToken);
        try
        {
            var armed = await client.Containers.InspectContainerAsync(created.ID, cancellationToken);
            if (armed.Config?.Healthcheck?.Interval != spec.Lifetime || armed.Config.Healthcheck.Test?.FirstOrDefault() != "CMD-SHELL")
                throw new ContainerEngineException($"{Endpoint}: the engine did not keep the health check that enforces the build's time limit; refusing to build without it");
        }
        catch
        {
            await RemoveOneAsync(created.ID, CancellationToken.None);
            throw;
        }
        try
        {
            if (!await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken))
                throw new ContainerEngineException($"{Endpoint}: the watchdog container {created.ID} did not start");
            return created.ID;
        }
        catch
        {
            await RemoveOneAsync(created.ID, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The lock-down every container gets; callers only add resources.</summary>
    private static HostConfig LockedDown(HostConfig config)
    {
        config.NetworkMode = "none";
        config.ReadonlyRootfs = true;
        config.CapDrop = ["ALL"];
        config.SecurityOpt = ["no-new-privileges"];
        config.Privileged = false;
        config.IpcMode = "private";
        config.AutoRemove = true;
        return config;
    }

    /// <summary>
    /// A writable place: an anonymous volume of the local driver mounted as a tmpfs of that size. On overlay2 over
    /// ext4 (this machine's engines, and most) a volume or the container's layer cannot be size-limited: the engine
    /// refuses --storage-opt size without xfs project quotas. A tmpfs can, and its files count against the memory
    /// limit; measured: a 150 MiB write into a 200 MiB tmpfs volume under a 64 MiB memory limit is killed by the
    /// kernel. A volume rather than a tmpfs mount of the container because the engine's archive API (how /out is
    /// collected) does not see a container's tmpfs mounts and does see volumes, while the container runs. NoCopy: the
    /// place starts empty and keeps mode 1777 whatever the image has at that path.
    /// </summary>
    /// <remarks>
    /// On Podman (see <see cref="PodmanContainers"/>) the place is a tmpfs mount of the container instead: Podman's compatible
    /// API ignores a volume's driver options (the place would be an unlimited disk volume) and its volume layer takes
    /// <c>size</c> for a disk quota, while its archive API, unlike dockerd's, reads a running container's tmpfs mounts.
    /// </remarks>
    private static Mount ScratchMount(string path, long bytes, IReadOnlyDictionary<string, string> labels) => new()
    {
        Type = "volume",
        Target = path,
        VolumeOptions = new VolumeOptions
        {
            NoCopy = true,
            Labels = labels.ToDictionary(),
            DriverConfig = new Driver
            {
                Name = "local",
                Options = new Dictionary<string, string>
                {
                    ["type"] = "tmpfs",
                    ["device"] = "tmpfs",
                    ["o"] = $"size={bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)},mode=1777,nosuid,nodev",
                },
            },
        },
    };

    public Task CopyIntoAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken) => Call($"copy into {path}", async () =>
    {
        await client.Containers.ExtractArchiveToContainerAsync(containerId,
            new ContainerPathStatParameters { Path = path, AllowOverwriteDirWithFile = false }, tar, cancellationToken);
        return true;
    });

    public Task<bool> StartAsync(string containerId, Func<ReadOnlyMemory<byte>, Task<bool>> onOutput, CancellationToken cancellationToken) => Call("run the container", async () =>
    {
        ArgumentNullException.ThrowIfNull(onOutput);
        // Attached before the start, as 'docker run' does: nothing is missed, and the stream ends when the container stops,
        // even if the engine has removed it by then. A slow reader slows the container down instead of filling the engine's disk.
        var stream = await client.Containers.AttachContainerAsync(containerId, tty: false,
            new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken);
        if (!attached.TryAdd(containerId, stream))
        {
            stream.Dispose();
            throw new InvalidOperationException($"container {containerId} was started twice");
        }
        if (!await client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken))
            throw new ContainerEngineException($"{Endpoint}: container {containerId} did not start");
        await using var cancel = cancellationToken.Register(stream.Dispose);
        var buffer = new byte[81920];
        while (true)
        {
            MultiplexedStream.ReadResult read;
            try
            {
                read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                // Cancelling disposes the stream under a pending read, which then fails with whatever the socket says.
                throw new OperationCanceledException("cancelled", e, cancellationToken);
            }
            if (read.EOF) return true;
            if (!await onOutput(buffer.AsMemory(0, read.Count))) return false;
        }
    });

    public Task<Stream> CopyOutAsync(string containerId, string path, CancellationToken cancellationToken) => Call($"copy {path} out", async () =>
        (await client.Containers.GetArchiveFromContainerAsync(containerId, new GetArchiveFromContainerParameters { Path = path }, statOnly: false, cancellationToken)).Stream);

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) => Call("remove the container", async () =>
    {
        string? watchdog = null;
        try
        {
            var container = await client.Containers.InspectContainerAsync(containerId, cancellationToken);
            if (container.Config?.Labels?.TryGetValue(WatchdogLabel, out var labelled) == true && labelled.Length > 0) watchdog = labelled;
        }
        catch (DockerContainerNotFoundException)
        {
        }
        if (watchdogs.TryRemove(containerId, out var remembered)) watchdog ??= remembered;
        if (attached.TryRemove(containerId, out var stream)) stream.Dispose();
        // Both at once: each removal is a kill and a clean-up on the engine (about 0.1 s each), and neither needs the other gone first.
        await Task.WhenAll(RemoveOneAsync(containerId, cancellationToken), watchdog is null ? Task.CompletedTask : RemoveOneAsync(watchdog, cancellationToken));
        return true;
    });

    private async Task RemoveOneAsync(string containerId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
                return;
            }
            catch (DockerContainerNotFoundException)
            {
                return;
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict && e.ResponseBody?.Contains("already in progress", StringComparison.Ordinal) == true)
            {
                await WaitUntilGoneAsync(containerId, cancellationToken);
                return;
            }
            // A forced removal races with the container's own end (its watchdog, whose process namespace it shares, removed beside
            // it; AutoRemove starting), and the engine may answer with a transient error; asked again a moment later, it removes
            // what is left. (A container left after a build was seen once in a full test run; the error was not captured.)
            catch (DockerApiException) when (attempt < 5)
            {
                await Task.Delay(100 * attempt, cancellationToken);
            }
        }
    }

    /// <summary>AutoRemove got there first: waits until it is done, so that nothing of the build is left when removal returns.</summary>
    private async Task WaitUntilGoneAsync(string containerId, CancellationToken cancellationToken)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            try
            {
                await client.Containers.InspectContainerAsync(containerId, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    public Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(string label, CancellationToken cancellationToken) => Call("list volumes", async () =>
    {
        var volumes = await client.Volumes.ListAsync(new VolumesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }, cancellationToken);
        return (IReadOnlyList<VolumeSummary>)[.. (volumes.Volumes ?? []).Select(v => new VolumeSummary(v.Name, (v.Labels ?? new Dictionary<string, string>()).AsReadOnly()))];
    });

    public Task<bool> RemoveVolumeAsync(string name, CancellationToken cancellationToken) => Call("remove a volume", async () =>
    {
        try
        {
            await client.Volumes.RemoveAsync(name, force: false, cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;   // in use by a container
        }
    });

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string label, CancellationToken cancellationToken) => Call("list containers", async () =>
    {
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }, cancellationToken);
        return (IReadOnlyList<ContainerSummary>)[.. containers.Select(c => new ContainerSummary(c.ID, c.State ?? "", (c.Labels ?? new Dictionary<string, string>()).AsReadOnly()))];
    });

    public void Dispose()
    {
        foreach (var stream in attached.Values) stream.Dispose();
        attached.Clear();
        http.Dispose();
        client.Dispose();
    }

    private async Task<T> Call<T>(string what, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException
                                      or System.Net.Sockets.SocketException || (e is TaskCanceledException && e.InnerException is TimeoutException))
        {
            throw new ContainerEngineException($"{Endpoint}: could not {what}: {Reason(e)}", e);
        }
    }

    private static string Reason(Exception e) => e is DockerApiException api ? $"{(int)api.StatusCode} {api.ResponseBody?.Trim()}" : e.GetBaseException().Message;
}
