namespace BuildTrust.Pipeline.Builders;

/// <summary>Resource limits of a build container.</summary>
public sealed record BuildLimits(TimeSpan Timeout, long MemoryBytes, long Pids)
{
    public static BuildLimits Default { get; } = new(TimeSpan.FromMinutes(30), 4L << 30, 4096);
}
