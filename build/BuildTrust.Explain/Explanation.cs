using BuildTrust.Explain.Causes;

namespace BuildTrust.Explain;

/// <summary>
/// Why the builders of one build folder disagree: every differing artifact compared with the reference builder's (the
/// builder of the largest agreeing group), the causes ranked over all of them, and what the caps skipped.
/// </summary>
/// <param name="ProvenanceVerified">True when every builder's provenance was verified against a policy's keys; false when its claims were read unverified.</param>
/// <param name="Notes">What the reader should know (unverified provenance, refused bundles, unreadable files).</param>
/// <param name="Skipped">What the caps left uncompared, said so that nothing is silently dropped.</param>
public sealed record Explanation(
    string Directory,
    bool ProvenanceVerified,
    IReadOnlyList<BuilderView> Builders,
    string? ReferenceBuilder,
    IReadOnlyList<ArtifactExplanation> Artifacts,
    IReadOnlyList<Cause> Causes,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Skipped,
    TimeSpan Elapsed)
{
    /// <summary>At least two builders' artifacts were compared (fewer, as when a policy refuses their provenance, decides nothing).</summary>
    public bool Compared => Builders.Count >= 2;

    /// <summary>Two or more builders were compared, and none's artifacts differ from the reference's.</summary>
    public bool NoDifference => Compared && Artifacts.Count == 0;
}
