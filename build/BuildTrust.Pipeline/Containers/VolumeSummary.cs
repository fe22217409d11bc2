namespace BuildTrust.Pipeline.Containers;

public sealed record VolumeSummary(string Name, IReadOnlyDictionary<string, string> Labels);
