namespace BuildTrust.Pipeline.Builders;

/// <summary>One collected output: its path relative to <c>/out</c> ('/' separators), size and SHA-256 (lowercase hex).</summary>
public sealed record CollectedArtifact(string Name, long Size, string Sha256);
