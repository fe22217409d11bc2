namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>Malformed SSH wire data: a key, a signature blob or an armored signature that does not parse.</summary>
public sealed class SshFormatException(string message) : BuildTrustException(FaultKind.BadInput, message);
