using BuildTrust.Verifiers;

namespace BuildTrust.Explain;

/// <summary>The build folder, a revision or an option cannot be used (exit 2): named, never a stack trace.</summary>
public sealed class ExplainException(string message, Exception? inner = null) : BuildTrustException(FaultKind.BadInput, message, inner);
