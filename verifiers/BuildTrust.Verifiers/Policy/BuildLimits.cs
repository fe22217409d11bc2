namespace BuildTrust.Verifiers.Policy;

/// <summary>
/// What one build may use (<c>build.limits</c>). The writable places are memory file systems (tmpfs) of
/// their own size, so their files count against <see cref="MemoryBytes"/>: the places together must leave
/// <see cref="HeadroomBytes"/> of it for <c>/dev/shm</c> and the build's processes.
/// </summary>
/// <param name="Timeout">Wall-clock time the container may exist, from its creation; then it is killed and removed.</param>
/// <param name="OutBytes">Size of <c>/out</c>.</param>
/// <param name="BuildBytes">Size of <c>/build</c>, which holds the working directory.</param>
/// <param name="TmpBytes">Size of <c>/tmp</c>, which holds <c>$HOME</c>.</param>
/// <param name="LogBytes">Output (stdout and stderr together) a build may write; more fails it.</param>
public sealed record BuildLimits(TimeSpan Timeout, long MemoryBytes, long Pids, long OutBytes, long BuildBytes, long TmpBytes, long LogBytes)
{
    /// <summary>The 64 MiB <c>/dev/shm</c> the engine gives every container, plus 64 MiB at least for processes.</summary>
    public const long HeadroomBytes = 128L << 20;

    public static readonly TimeSpan MaximumTimeout = TimeSpan.FromHours(72);

    public static BuildLimits Default { get; } = new(TimeSpan.FromMinutes(30), 4L << 30, 4096, 1L << 30, 1L << 30, 1L << 30, 64L << 20);

    /// <summary>Why these limits cannot be applied, or null. The policy reader reports it with the line; code that builds limits itself throws.</summary>
    public string? Problem()
    {
        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > MaximumTimeout) return $"'time' must be between 1s and {MaximumTimeout.TotalHours:0}h";
        if (MemoryBytes is < 256L << 20 or > 1L << 40) return "'memory' must be between 256MiB and 1TiB";
        if (Pids is < 64 or > 1 << 20) return "'pids' must be between 64 and 1048576";
        if (LogBytes is < 1L << 20 or > 4L << 30) return "'log' must be between 1MiB and 4GiB";
        foreach (var (name, bytes) in new[] { ("out", OutBytes), ("build", BuildBytes), ("tmp", TmpBytes) })
        {
            if (bytes is < 1L << 20 or > 1L << 40) return $"'disk.{name}' must be between 1MiB and 1TiB";
        }
        var places = OutBytes + BuildBytes + TmpBytes;
        if (MemoryBytes - places < HeadroomBytes)
            return $"'memory' ({Size(MemoryBytes)}) must exceed disk.out + disk.build + disk.tmp ({Size(places)}) by at least {Size(HeadroomBytes)}: "
                + "files in the writable places are held in memory (tmpfs) and count against it";
        return null;
    }

    /// <summary>A size as the policy writes it (<c>4GiB</c>, <c>512MiB</c>, <c>100KiB</c>), or bytes.</summary>
    public static string Size(long bytes)
    {
        foreach (var (unit, shift) in new[] { ("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10) })
        {
            if (bytes >= 1L << shift && bytes % (1L << shift) == 0) return $"{bytes >> shift}{unit}";
        }
        return $"{bytes} bytes";
    }
}
