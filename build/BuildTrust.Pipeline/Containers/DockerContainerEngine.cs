using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace BuildTrust.Pipeline.Containers;

/// <summary>The container engine over Docker's API (Docker.DotNet). Docker.DotNet's types stay inside this class.</summary>
public sealed class DockerContainerEngine : IContainerEngine
{
    private readonly DockerClient client;

    private DockerContainerEngine(DockerClient client, string endpoint)
    {
        this.client = client;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    public static IContainerEngine Connect(Uri endpoint, string? tlsDirectory) =>
        new DockerContainerEngine(DockerEndpoint.Connect(endpoint, tlsDirectory), endpoint.ToString());

    public Task<EngineDescription> DescribeAsync(CancellationToken cancellationToken) => Call("describe the engine", async () =>
    {
        var version = await client.System.GetVersionAsync(cancellationToken);
        var info = await client.System.GetSystemInfoAsync(cancellationToken);
        return new EngineDescription(version.Version ?? "", version.APIVersion ?? "", info.KernelVersion ?? "", info.OperatingSystem ?? "",
            info.Architecture ?? "", info.NCPU, info.MemTotal) { EngineId = EngineIdOf(info.ID, info.DockerRootDir), Host = info.Name ?? "" };
    });

    /// <summary>
    /// dockerd 20.10 derives its ID from the host's trust key (/etc/docker/key.json), so daemons on one host share it; with the
    /// data root it names one daemon. Empty when the engine reports neither (then the builder cannot be shown independent).
    /// </summary>
    private static string EngineIdOf(string? id, string? dataRoot) =>
        string.Join(' ', new[] { id, dataRoot }.Where(part => !string.IsNullOrWhiteSpace(part)));

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
            Labels = spec.Labels.ToDictionary(),
            Volumes = spec.Volumes.ToDictionary(path => path, _ => new EmptyStruct()),
            NetworkDisabled = true,
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                NetworkMode = "none",
                ReadonlyRootfs = true,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                Privileged = false,
                Tmpfs = spec.Tmpfs.ToDictionary(),
                Memory = spec.MemoryBytes,
                MemorySwap = spec.MemoryBytes,
                PidsLimit = spec.PidsLimit,
                CpusetCpus = spec.CpuSet ?? "",
                IpcMode = "private",
                AutoRemove = false,
            },
        }, cancellationToken);
        return created.ID;
    });

    public Task CopyIntoAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken) => Call($"copy into {path}", async () =>
    {
        await client.Containers.ExtractArchiveToContainerAsync(containerId,
            new ContainerPathStatParameters { Path = path, AllowOverwriteDirWithFile = false }, tar, cancellationToken);
        return true;
    });

    public Task StartAsync(string containerId, CancellationToken cancellationToken) => Call("start the container", async () =>
    {
        if (!await client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken))
            throw new ContainerEngineException($"{Endpoint}: container {containerId} did not start");
        return true;
    });

    public Task FollowOutputAsync(string containerId, Func<ReadOnlyMemory<byte>, Task> onOutput, CancellationToken cancellationToken) => Call("follow the build output", async () =>
    {
        using var stream = await client.Containers.GetContainerLogsAsync(containerId, tty: false,
            new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true }, cancellationToken);
        var buffer = new byte[81920];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF) return true;
            await onOutput(buffer.AsMemory(0, read.Count));
        }
    });

    public Task<long> WaitAsync(string containerId, CancellationToken cancellationToken) => Call("wait for the container", async () =>
        (await client.Containers.WaitContainerAsync(containerId, cancellationToken)).StatusCode);

    public Task<Stream> CopyOutAsync(string containerId, string path, CancellationToken cancellationToken) => Call($"copy {path} out", async () =>
        (await client.Containers.GetArchiveFromContainerAsync(containerId, new GetArchiveFromContainerParameters { Path = path }, statOnly: false, cancellationToken)).Stream);

    public Task RemoveAsync(string containerId, CancellationToken cancellationToken) => Call("remove the container", async () =>
    {
        try
        {
            await client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        return true;
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

    public void Dispose() => client.Dispose();

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
