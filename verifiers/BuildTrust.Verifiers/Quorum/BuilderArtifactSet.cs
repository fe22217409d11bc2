namespace BuildTrust.Verifiers.Quorum;

/// <summary>What one builder attests it produced: artifact name to SHA-256 (lowercase hex), from its verified provenance.</summary>
public sealed record BuilderArtifactSet(string BuilderId, IReadOnlyDictionary<string, string> Artifacts);
