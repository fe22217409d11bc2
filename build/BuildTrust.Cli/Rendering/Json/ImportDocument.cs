using System.Text.Json.Serialization;
using BuildTrust.Verifiers.Imports;

namespace BuildTrust.Cli.Rendering.Json;

/// <summary>The <c>import --json</c> report.</summary>
internal sealed record ImportDocument(string Schema, string Format, int Quorum, bool Passed, IReadOnlyList<string> Problems, IReadOnlyList<ImportDocument.Group> Groups)
{
    /// <summary>One group (a package, a release) and its quorum.</summary>
    internal sealed record Group([property: JsonPropertyName("group")] string Name, bool Passed, string Reason, IReadOnlyList<Set> Sets,
        IReadOnlyDictionary<string, string>? Agreed, IReadOnlyList<Attestation> Attestations);

    /// <summary>A distinct set of digests and who signed it.</summary>
    internal sealed record Set(string Sha256, int Artifacts, IReadOnlyList<string> Signers);

    /// <summary>One signer's attestation and its verdict.</summary>
    internal sealed record Attestation(string Signer, AttestationVerdict Verdict, string Reason, IReadOnlyList<string> Files, string? SigningKey);
}
