using BuildTrust.Verifiers;

namespace BuildTrust.Cli.Commands;

/// <summary>Bad input detected by the CLI itself (exit 2).</summary>
public sealed class CliInputException(string message) : BuildTrustException(FaultKind.BadInput, message);
