namespace BuildTrust.Cli.Options;

/// <summary>What <c>buildtrust explain</c> was asked for.</summary>
/// <param name="Html">Where the HTML report goes (default DIR/explain.html).</param>
/// <param name="Builder">The failing builder whose variations are bisected (default: the first that differs from the reference).</param>
public sealed record ExplainOptions(string Directory, string? PolicyPath, string Repository, bool Json, string? Html, bool BisectVariations, string? BisectRange,
    string? Builder, string? Endpoint, long MaxFileMiB, int TimeoutSeconds);
