namespace BuildTrust.Pipeline.Containers;

public sealed record ContainerSummary(string Id, string State, IReadOnlyDictionary<string, string> Labels);
