using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Containers;

/// <summary>The engine is unreachable or refused an operation (exit 3: infrastructure).</summary>
public sealed class ContainerEngineException(string message, Exception? inner = null) : BuildTrustException(FaultKind.Infrastructure, message, inner);
