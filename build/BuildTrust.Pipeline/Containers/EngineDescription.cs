namespace BuildTrust.Pipeline.Containers;

/// <summary>What the engine says about itself; part of a builder's fingerprint.</summary>
public sealed record EngineDescription(string ServerVersion, string ApiVersion, string KernelVersion, string OperatingSystem, string Architecture, long CpuCount, long MemoryBytes)
{
    /// <summary>
    /// The engine's own id, stable across calls: dockerd's <c>ID</c> with its data root; for Podman, whose <c>/info</c> <c>ID</c> is a
    /// new random value on every call, its host name with its storage root. Tells two engines apart, even on one host.
    /// </summary>
    public string EngineId { get; init; } = "";

    /// <summary>The name of the host the engine runs on (<c>Name</c> in <c>/info</c>).</summary>
    public string Host { get; init; } = "";

    public EngineKind Kind { get; init; } = EngineKind.Dockerd;
}
