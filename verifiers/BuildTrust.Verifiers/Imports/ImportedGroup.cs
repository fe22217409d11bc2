using BuildTrust.Verifiers.Quorum;

namespace BuildTrust.Verifiers.Imports;

/// <summary>One group's attestations, the distinct digest sets among those that count (and who holds each), and the quorum.</summary>
public sealed record ImportedGroup(string Group, IReadOnlyList<ImportedAttestation> Attestations, IReadOnlyList<DigestSet> Sets, QuorumVerdict Quorum);
