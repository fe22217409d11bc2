using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Cli.Rendering.Json;

/// <summary>The <c>audit --json</c> report.</summary>
internal sealed record AuditDocument(bool Passed, string? Commit, IReadOnlyList<CheckResult> Checks);
