namespace BuildTrust.Verifiers.Policy;

/// <summary>A file referenced by the policy that cannot be read.</summary>
public sealed class PolicyFileException(string message) : BuildTrustException(FaultKind.BadInput, message);
