namespace BuildTrust.Pipeline.Builders;

/// <summary>The container's output was refused: a link, a device, a path escaping /out, or over a limit.</summary>
public sealed class CollectionException(string message) : Exception(message);
