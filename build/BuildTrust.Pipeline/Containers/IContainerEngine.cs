namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// The few container-engine operations a builder needs. Every container it creates is locked down the same
/// way (no network, read-only root, no capabilities, no-new-privileges, size-capped writable places and log)
/// and has a lifetime the engine enforces by itself; callers cannot weaken that.
/// </summary>
public interface IContainerEngine : IDisposable
{
    /// <summary>The endpoint, for messages (<c>unix:///...</c> or <c>tcp://host:port</c>).</summary>
    string Endpoint { get; }

    Task<EngineDescription> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Inspects an image by id or reference; null when the engine does not have it.</summary>
    Task<ImageDescription?> InspectImageAsync(string reference, CancellationToken cancellationToken);

    /// <summary>Loads an image archive (<c>docker load</c> format).</summary>
    Task LoadImageAsync(Stream archive, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a locked-down container; returns its id. From now on the container lives at most
    /// <see cref="ContainerSpec.Lifetime"/> (plus the engine's reaction time): then the engine kills and removes it
    /// even if the caller is gone. It is also removed as soon as it stops.
    /// </summary>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Extracts a tar stream into <paramref name="path"/> (which must be one of the spec's volumes) before the start.</summary>
    Task CopyIntoAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the container and passes every chunk of its stdout and stderr to <paramref name="onOutput"/>, which
    /// returns false once it has what it waits for. Returns false then (the container keeps running), true when the
    /// output ended because the container stopped.
    /// </summary>
    Task<bool> StartAsync(string containerId, Func<ReadOnlyMemory<byte>, Task<bool>> onOutput, CancellationToken cancellationToken);

    /// <summary>A tar stream of <paramref name="path"/> in the running container (entries prefixed by the folder's name).</summary>
    Task<Stream> CopyOutAsync(string containerId, string path, CancellationToken cancellationToken);

    /// <summary>Kills and removes the container with its volumes and whatever the engine created with it; a missing container is not an error.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Ids and labels of every container (running or not) carrying <paramref name="label"/>.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string label, CancellationToken cancellationToken);

    /// <summary>Names and labels of every volume carrying <paramref name="label"/> (a container's volumes carry its labels).</summary>
    Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(string label, CancellationToken cancellationToken);

    /// <summary>Removes a volume no container uses; false when one does. A missing volume is not an error.</summary>
    Task<bool> RemoveVolumeAsync(string name, CancellationToken cancellationToken);
}
