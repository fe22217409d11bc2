namespace BuildTrust.Verifiers.Quorum;

/// <summary>An artifact the builders do not agree on: each builder's digest, or null where the builder lacks it.</summary>
public sealed record ArtifactDifference(string Name, IReadOnlyDictionary<string, string?> DigestByBuilder);
