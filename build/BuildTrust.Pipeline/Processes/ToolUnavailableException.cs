using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Processes;

/// <summary>An external tool is not installed or could not be started (exit 3).</summary>
public sealed class ToolUnavailableException(string message, Exception? inner = null) : BuildTrustException(FaultKind.Infrastructure, message, inner);
