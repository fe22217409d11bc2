namespace BuildTrust.Verifiers.Artifacts;

/// <summary>A file's name relative to its release folder ('/' separators), size and SHA-256 (lowercase hex).</summary>
public sealed record ArtifactDigest(string Name, long Size, string Sha256);
