namespace BuildTrust.Pipeline.Builders;

/// <summary>What the build ran on, so that mismatches can later be grouped by cause.</summary>
public sealed record BuilderFingerprint(string EngineVersion, string ApiVersion, string Kernel, string OperatingSystem, string Architecture, string CpuModel, long CpuCount, string ImageId)
{
    /// <summary>The engine's own id: what the quorum uses to count two builders on one engine once.</summary>
    public string EngineId { get; init; } = "";

    public string EngineHost { get; init; } = "";

    public Containers.EngineKind EngineKind { get; init; } = Containers.EngineKind.Dockerd;

    public IReadOnlyDictionary<string, string> Recorded() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [Verifiers.Release.ProvenanceSet.EngineIdKey] = EngineId,
        [Verifiers.Release.ProvenanceSet.EngineHostKey] = EngineHost,
        ["engine-kind"] = EngineKind == Containers.EngineKind.Podman ? "podman" : "dockerd",
        ["engine-version"] = EngineVersion,
        ["engine-api-version"] = ApiVersion,
        ["kernel"] = Kernel,
        ["operating-system"] = OperatingSystem,
        ["architecture"] = Architecture,
        ["cpu-model"] = CpuModel,
        ["cpu-count"] = CpuCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["image"] = ImageId,
    };
}
