using System.Globalization;
using BuildTrust.Pipeline.Containers;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Containers (and their volumes) left behind by a buildtrust process that died before its clean-up ran, or by an
/// engine that died under a build. Each container and volume carries its
/// owner (<see cref="ProcessIdentity"/>) and its deadline (when the engine kills it by itself). A container whose
/// owner shares our pids and has exited is removed now; one whose owner we cannot see (another machine, boot or PID
/// namespace) is removed only once its deadline has passed by <see cref="Grace"/>, so a live build elsewhere is
/// never taken for a stale one. One we cannot judge (no readable owner and no deadline) is left alone.
/// </summary>
public static class StaleContainers
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public static async Task RemoveAsync(IContainerEngine engine, CancellationToken cancellationToken)
    {
        foreach (var container in await engine.ListContainersAsync(BuilderRunner.OwnerLabel, cancellationToken))
        {
            if (Judge(container.Labels, ProcessIdentity.Current, DateTimeOffset.UtcNow) is not null) await engine.RemoveAsync(container.Id, cancellationToken);
        }
        // Volumes outlive their container when the engine dies at the wrong moment (its restart may drop the container and keep them).
        foreach (var volume in await engine.ListVolumesAsync(BuilderRunner.OwnerLabel, cancellationToken))
        {
            if (Judge(volume.Labels, ProcessIdentity.Current, DateTimeOffset.UtcNow) is not null) await engine.RemoveVolumeAsync(volume.Name, cancellationToken);
        }
    }

    /// <summary>Why a container with these labels may be removed by <paramref name="self"/> at <paramref name="now"/>, or null to keep it.</summary>
    public static string? Judge(IReadOnlyDictionary<string, string> labels, ProcessIdentity? self, DateTimeOffset now)
    {
        if (labels.TryGetValue(BuilderRunner.DeadlineLabel, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && now > DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, DateTimeOffset.MaxValue.ToUnixTimeSeconds() - 86400)) + Grace)
            return "its deadline has passed";
        var owner = labels.TryGetValue(BuilderRunner.OwnerLabel, out var label) ? ProcessIdentity.Parse(label) : null;
        if (owner is null || self is null || !owner.SharesPidsWith(self)) return null;
        return owner.IsRunning() ? null : "its owner has exited";
    }
}
