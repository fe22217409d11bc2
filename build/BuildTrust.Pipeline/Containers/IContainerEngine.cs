namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// The few container-engine operations a builder needs. Every container it creates is locked down the same
/// way (no network, read-only root, no capabilities, no-new-privileges); callers cannot weaken that.
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

    /// <summary>Creates a locked-down container; returns its id.</summary>
    Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Extracts a tar stream into <paramref name="path"/> (which must be one of the spec's volumes).</summary>
    Task CopyIntoAsync(string containerId, string path, Stream tar, CancellationToken cancellationToken);

    Task StartAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Follows stdout and stderr, calling <paramref name="onOutput"/> with each chunk, until the container stops.</summary>
    Task FollowOutputAsync(string containerId, Func<ReadOnlyMemory<byte>, Task> onOutput, CancellationToken cancellationToken);

    /// <summary>Waits for the container to stop; returns its exit code.</summary>
    Task<long> WaitAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>A tar stream of <paramref name="path"/> in the container (entries prefixed by the folder's name).</summary>
    Task<Stream> CopyOutAsync(string containerId, string path, CancellationToken cancellationToken);

    /// <summary>Kills and removes the container with its anonymous volumes; a missing container is not an error.</summary>
    Task RemoveAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Ids and labels of every container (running or not) carrying <paramref name="label"/>.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string label, CancellationToken cancellationToken);
}
