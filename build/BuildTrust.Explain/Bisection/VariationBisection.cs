namespace BuildTrust.Explain.Bisection;

/// <summary>
/// The outcome of rebuilding on one engine with each variation of a builder alone (reprotest-style): which variations
/// reproduce the mismatch, and the explanation of those builds against the reference build.
/// </summary>
public sealed record VariationBisection(string CommitId, string Builder, string Endpoint, IReadOnlyList<VariationTrial> Trials, Explanation Explanation)
{
    public IReadOnlyList<string> Culprits => [.. Trials.Where(t => t.ReproducesMismatch).Select(t => t.Variation)];
}
