using System.Diagnostics;
using BuildTrust.Pipeline.Containers;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Containers left behind by a buildtrust process that died before its cleanup ran (killed, crashed):
/// each container is labelled with its owner (host and process id); those of dead owners on this host are removed.
/// </summary>
internal static class StaleContainers
{
    public static string OwnerValue { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public static async Task RemoveAsync(IContainerEngine engine, CancellationToken cancellationToken)
    {
        foreach (var container in await engine.ListContainersAsync(BuilderRunner.OwnerLabel, cancellationToken))
        {
            if (!container.Labels.TryGetValue(BuilderRunner.OwnerLabel, out var owner)) continue;
            var slash = owner.LastIndexOf('/');
            if (slash < 0 || owner[..slash] != Environment.MachineName || !int.TryParse(owner[(slash + 1)..], out var pid)) continue;
            if (IsAlive(pid)) continue;
            await engine.RemoveAsync(container.Id, cancellationToken);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
