namespace BuildTrust.Verifiers.Files;

/// <summary>A file that is refused before or while reading it: not a regular file, reached through a link, too large, unreadable.</summary>
public sealed class UntrustedFileException(string message) : BuildTrustException(FaultKind.BadInput, message);
