namespace BuildTrust.Verifiers.Imports;

/// <summary>One distinct set of artifacts and digests, named by the SHA-256 of its sorted <c>sha256sum</c> lines, with the signers whose good attestations hold it.</summary>
public sealed record DigestSet(string Sha256, int ArtifactCount, IReadOnlyList<string> Signers);
