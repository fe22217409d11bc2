namespace BuildTrust.Pipeline.Images;

/// <summary>An image archive (or the cache holding it) that is not the image it should be: altered, replaced or malformed.</summary>
public sealed class ImageArchiveException(string message, Exception? inner = null) : Exception(message, inner);
