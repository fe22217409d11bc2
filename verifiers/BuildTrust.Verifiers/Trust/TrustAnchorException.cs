namespace BuildTrust.Verifiers.Trust;

/// <summary>The trust settings cannot be used: a trusted ref that names nothing, a malformed parameters file, conflicting options.</summary>
public sealed class TrustAnchorException(string message) : BuildTrustException(FaultKind.BadInput, message);
