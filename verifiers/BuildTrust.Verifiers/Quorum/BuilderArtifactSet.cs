namespace BuildTrust.Verifiers.Quorum;

/// <summary>What one builder attests it produced: artifact name to SHA-256 (lowercase hex), from its verified provenance.</summary>
/// <param name="Identity">What tells it apart from other builders (engine, host, operator), when independence is judged.</param>
public sealed record BuilderArtifactSet(string BuilderId, IReadOnlyDictionary<string, string> Artifacts, BuilderIdentity? Identity = null);
