namespace BuildTrust.Verifiers.Statements.Sigstore;

/// <summary>A bundle or statement that is not well formed (exit 2); the message names the file.</summary>
public sealed class SigstoreBundleException(string file, string problem) : BuildTrustException(FaultKind.BadInput, $"{file}: {problem}");
