using BuildTrust.Explain.Causes;

namespace BuildTrust.Explain.Reports;

/// <summary>The <c>explain --json</c> report.</summary>
internal sealed record ExplanationDocument(
    string Schema, string Directory, bool ProvenanceVerified, bool Compared, bool NoDifference, string? ReferenceBuilder, IReadOnlyList<BuilderView> Builders,
    IReadOnlyList<Cause> Causes, IReadOnlyList<ArtifactExplanation> Artifacts, IReadOnlyList<string> Notes, IReadOnlyList<string> Skipped, double ElapsedSeconds);
