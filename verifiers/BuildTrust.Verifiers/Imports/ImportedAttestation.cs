namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// One signer's attestation of one group (a version and kind, or a rebuilt artifact): what it says was built, and whether it counts.
/// </summary>
/// <param name="Group">What is attested: <c>29.4/noncodesigned</c>, <c>13.0.1/unsigned-build</c>, <c>rebuild foo_1.0_amd64.deb</c>.</param>
/// <param name="Files">The files it was read from (the digest list and its signature, or the link), relative to the imported folder.</param>
/// <param name="Artifacts">Artifact name to SHA-256 (lowercase hex), as attested; empty when unreadable.</param>
/// <param name="SigningKey">The key that made the signature (fingerprint or key id), when known.</param>
public sealed record ImportedAttestation(string Group, string Signer, IReadOnlyList<string> Files, AttestationVerdict Verdict, string Reason,
    IReadOnlyDictionary<string, string> Artifacts, string? SigningKey)
{
    public bool Counts => Verdict == AttestationVerdict.Good;
}
