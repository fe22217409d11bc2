using BuildTrust.Pipeline.Adoption;

namespace BuildTrust.Cli.Rendering.Json;

/// <summary>The <c>init --json</c> report.</summary>
internal sealed record InitDocument(string Schema, AdoptionResult Result, IReadOnlyList<string> NextSteps, int ExitCode);
