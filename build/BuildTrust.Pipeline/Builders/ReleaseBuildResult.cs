namespace BuildTrust.Pipeline.Builders;

/// <summary>The outcome of every builder, and the provenance bundle each finished builder wrote.</summary>
public sealed record ReleaseBuildResult(string CommitId, string Repository, IReadOnlyList<BuilderRunResult> Builders, IReadOnlyDictionary<string, string> ProvenancePaths)
{
    public bool AllFinished => Builders.All(b => b.Succeeded);
}
