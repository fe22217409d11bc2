using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>How a gate run ended, as the JSON report's <c>scope</c>, <c>summary</c> and <c>exitCode</c> say it.</summary>
internal sealed record GateRunResult(SourceGateScope Scope, SourceGateSummary Summary, bool Authenticated, int ExitCode, string Verdict);
