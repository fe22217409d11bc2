namespace BuildTrust.Verifiers.Evidence;

/// <summary>The outcome of verifying one key attestation chain.</summary>
/// <param name="Failure">Why the attestation does not prove the key is on the token, naming the certificate.</param>
/// <param name="Root">The subject of the trusted certificate the chain ends at.</param>
public sealed record KeyAttestation(bool Valid, string? Failure, string? Root, AttestedProperties? Properties)
{
    public static KeyAttestation Fail(string failure, AttestedProperties? properties = null) => new(false, failure, null, properties);

    public string Describe() => Valid ? $"attested key ({Properties}), chain to '{Root}'" : $"attestation refused: {Failure}";
}
