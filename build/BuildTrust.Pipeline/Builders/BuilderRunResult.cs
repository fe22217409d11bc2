namespace BuildTrust.Pipeline.Builders;

/// <summary>What one builder did: its artifacts when it finished, else why not.</summary>
/// <param name="ArtifactsDirectory">Where the artifacts were written (<c>OUT/&lt;builder&gt;/artifacts</c>).</param>
public sealed record BuilderRunResult(
    string BuilderId,
    string InvocationId,
    DateTimeOffset StartedOn,
    DateTimeOffset FinishedOn,
    BuildFailureKind? Failure,
    string? FailureMessage,
    IReadOnlyList<CollectedArtifact> Artifacts,
    string ArtifactsDirectory,
    string LogPath,
    VariationPlan Variations,
    IReadOnlyDictionary<string, string> VariationNotes,
    BuilderFingerprint? Fingerprint)
{
    public bool Succeeded => Failure is null;
}
