using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Builders;

/// <summary>A build cannot start because of its input: unknown revision, missing key, unusable policy section (exit 2).</summary>
public sealed class BuildInputException(string message, Exception? inner = null) : BuildTrustException(FaultKind.BadInput, message, inner);
