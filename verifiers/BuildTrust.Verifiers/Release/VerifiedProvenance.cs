using BuildTrust.Verifiers.Statements;

namespace BuildTrust.Verifiers.Release;

/// <summary>A provenance bundle whose signature holds for its builder's key in the policy, with what it claims.</summary>
/// <param name="BundleSha256">SHA-256 (hex) of the bundle file: what the release attestation binds.</param>
public sealed record VerifiedProvenance(string Path, byte[] Bytes, string BundleSha256, ProvenanceClaims Claims);
