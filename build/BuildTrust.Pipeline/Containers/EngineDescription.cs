namespace BuildTrust.Pipeline.Containers;

/// <summary>What the engine says about itself; part of a builder's fingerprint.</summary>
public sealed record EngineDescription(string ServerVersion, string ApiVersion, string KernelVersion, string OperatingSystem, string Architecture, long CpuCount, long MemoryBytes);
