namespace BuildTrust.Explain.Comparison;

/// <summary>
/// Caps that keep an explanation bounded on any input, artifacts being attacker-controlled (diffoscope needed the same
/// inside rebuilderd). What a cap skips is listed in the report, never silently dropped.
/// </summary>
/// <param name="MaxFileBytes">An artifact, or a member unpacked from a container, larger than this is compared by digest only.</param>
/// <param name="MaxTotalBytes">Bytes read and unpacked over the whole run; past it, the rest is compared by digest only.</param>
/// <param name="MaxDepth">Containers nested deeper than this are compared as bytes.</param>
/// <param name="MaxMembers">Members read from one container.</param>
/// <param name="MaxDifferencesPerArtifact">Differences kept per artifact; more are counted, not kept.</param>
/// <param name="Time">Wall clock for the comparison; past it, the remaining pairs are listed as skipped.</param>
public sealed record ExplainLimits(long MaxFileBytes, long MaxTotalBytes, int MaxDepth, int MaxMembers, int MaxDifferencesPerArtifact, TimeSpan Time)
{
    public static ExplainLimits Default { get; } = new(256L << 20, 2L << 30, 6, 20_000, 200, TimeSpan.FromMinutes(2));

    /// <summary>Why these limits are unusable, or null.</summary>
    public string? Problem() =>
        MaxFileBytes <= 0 || MaxTotalBytes <= 0 ? "byte caps must be positive"
        : MaxFileBytes > int.MaxValue - 64 ? "the file cap is at most 2 GiB"
        : MaxDepth < 1 || MaxMembers < 1 || MaxDifferencesPerArtifact < 1 ? "depth, member and difference caps must be at least 1"
        : Time <= TimeSpan.Zero ? "the time cap must be positive"
        : null;
}
