using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy.Check;

namespace BuildTrust.Cli.Rendering.Json;

/// <summary>The <c>policy check --json</c> report.</summary>
internal sealed record PolicyCheckDocument(string Schema, string Authority, IReadOnlyList<CommitVerdict> RefusedPolicyChanges, PolicyCheckReport Report, int ExitCode);
