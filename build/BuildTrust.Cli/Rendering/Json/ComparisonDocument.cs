namespace BuildTrust.Cli.Rendering.Json;

/// <summary>The <c>compare --json</c> report.</summary>
internal sealed record ComparisonDocument(
    bool Passed, string? Commit, IReadOnlyList<string> Problems, IReadOnlyList<string> Malformed, IReadOnlyList<ComparisonDocument.Builder> Builders, ComparisonDocument.QuorumPart? Quorum)
{
    /// <summary>One accepted provenance bundle.</summary>
    internal sealed record Builder(string Id, string Bundle, string BundleSha256, string Commit, string Recipe, string Image, IReadOnlyDictionary<string, string> Artifacts);

    /// <summary>The quorum's decision.</summary>
    internal sealed record QuorumPart(int Required, bool Passed, string Reason, IReadOnlyList<string> Agreeing, IReadOnlyList<Difference> Differences);

    /// <summary>An artifact the builders disagree on.</summary>
    internal sealed record Difference(string Name, IReadOnlyDictionary<string, string?> Digests);
}
