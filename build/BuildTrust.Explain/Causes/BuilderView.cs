namespace BuildTrust.Explain.Causes;

/// <summary>What the explainer knows of one builder: its id, the variation values its provenance records, and when it built.</summary>
public sealed record BuilderView(string Id, IReadOnlyDictionary<string, string> Variations, DateTimeOffset? StartedOn, DateTimeOffset? FinishedOn)
{
    /// <summary>The variations two builders ran with different values (the summary key <c>varied</c> and notes left out).</summary>
    public IReadOnlyList<string> DifferingVariations(BuilderView other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return [.. Variations.Keys.Union(other.Variations.Keys)
            .Where(name => name != "varied" && !name.StartsWith("not-applied:", StringComparison.Ordinal))
            .Where(name => Variations.GetValueOrDefault(name) != other.Variations.GetValueOrDefault(name))
            .Order(StringComparer.Ordinal)];
    }
}
