namespace BuildTrust.Verifiers.Evidence;

/// <summary>An attestation or trust-root file that does not parse (not PEM certificates, truncated DER, too large).</summary>
public sealed class AttestationFormatException(string message) : BuildTrustException(FaultKind.BadInput, message);
