using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Images;

/// <summary>A recipe file that cannot be used (exit 2), with file, line and column when known.</summary>
public sealed class ImageRecipeException(string message, Exception? inner = null) : BuildTrustException(FaultKind.BadInput, message, inner);
