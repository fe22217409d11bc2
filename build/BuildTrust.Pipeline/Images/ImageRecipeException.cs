namespace BuildTrust.Pipeline.Images;

/// <summary>A recipe file that cannot be used (exit 2), with file, line and column when known.</summary>
public sealed class ImageRecipeException(string message, Exception? inner = null) : Exception(message, inner);
