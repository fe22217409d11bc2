namespace BuildTrust.Explain.Bisection;

/// <summary>One rebuild with a single variation applied, and the artifacts that then differ from the reference build.</summary>
public sealed record VariationTrial(string Variation, string BuilderId, IReadOnlyList<string> DifferingArtifacts)
{
    public bool ReproducesMismatch => DifferingArtifacts.Count > 0;
}
