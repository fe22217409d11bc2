namespace BuildTrust.Pipeline.Containers;

/// <summary>What the engine says about itself; part of a builder's fingerprint.</summary>
public sealed record EngineDescription(string ServerVersion, string ApiVersion, string KernelVersion, string OperatingSystem, string Architecture, long CpuCount, long MemoryBytes)
{
    /// <summary>The engine's own id (dockerd's <c>ID</c> in <c>/info</c>, one per data root): tells two engines apart, even on one host.</summary>
    public string EngineId { get; init; } = "";

    /// <summary>The name of the host the engine runs on (<c>Name</c> in <c>/info</c>).</summary>
    public string Host { get; init; } = "";
}
