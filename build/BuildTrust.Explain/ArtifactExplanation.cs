using BuildTrust.Explain.Causes;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain;

/// <summary>Why one artifact differs between a builder and the reference builder: the differences found and their ranked causes.</summary>
/// <param name="DroppedDifferences">Differences past <see cref="ExplainLimits.MaxDifferencesPerArtifact"/>, counted but not kept.</param>
public sealed record ArtifactExplanation(string Name, string ReferenceBuilder, string Builder, string? ReferenceSha256, string? Sha256,
    IReadOnlyList<Difference> Differences, int DroppedDifferences, IReadOnlyList<Cause> Causes);
