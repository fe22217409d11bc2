using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Testing.Containers;

/// <summary>
/// What a build holds on a local test engine, read with the docker CLI while it runs: its containers (the build and
/// its watchdog), their volumes, their engine-side log files and the host mounts of those volumes. Tests read it during
/// a build and check afterwards that nothing of it is left.
/// </summary>
public sealed record EngineFootprint(Uri Endpoint, IReadOnlyList<string> Containers, IReadOnlyList<string> Volumes, IReadOnlyList<string> LogPaths)
{
    /// <summary>The containers labelled with <paramref name="builderId"/> on the engine, or null when there are none.</summary>
    public static EngineFootprint? Of(Uri endpoint, string builderId)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var ids = Lines(Docker(endpoint, "ps", "-a", "-q", "--no-trunc", "--filter", $"label=dev.buildtrust.builder={builderId}").ThrowOnFailure().StandardOutput);
        if (ids.Count == 0) return null;
        var volumes = new List<string>();
        var logs = new List<string>();
        foreach (var id in ids)
        {
            var inspected = Docker(endpoint, "inspect", "--format", "{{.LogPath}}|{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}} {{end}}{{end}}", id);
            if (inspected.ExitCode != 0) continue;   // gone meanwhile
            var parts = inspected.StandardOutput.Trim().Split('|');
            if (parts[0].Length > 0) logs.Add(parts[0]);
            volumes.AddRange(parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        return new EngineFootprint(endpoint, ids, volumes, logs);
    }

    /// <summary>Bytes the engine holds of the containers' output now: every log file and its rotated copies.</summary>
    public long LogBytes() => LogPaths.Sum(path =>
        Directory.Exists(Path.GetDirectoryName(path)) ? Directory.EnumerateFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Sum(file => new FileInfo(file).Length) : 0);

    /// <summary>Everything of this footprint still on the engine or the host: containers, volumes, log files, mounts.</summary>
    public IReadOnlyList<string> Leftovers()
    {
        var left = new List<string>();
        left.AddRange(Containers.Where(id => Docker(Endpoint, "inspect", "--type", "container", id).ExitCode == 0).Select(id => $"container {id}"));
        left.AddRange(Volumes.Where(name => Docker(Endpoint, "volume", "inspect", name).ExitCode == 0).Select(name => $"volume {name}"));
        left.AddRange(LogPaths.Where(path => Directory.Exists(Path.GetDirectoryName(path))).Select(path => $"log folder {Path.GetDirectoryName(path)}"));
        var mounts = File.ReadAllText("/proc/self/mounts");
        left.AddRange(Volumes.Where(name => mounts.Contains(name, StringComparison.Ordinal)).Select(name => $"mount of volume {name}"));
        return left;
    }

    /// <summary>Polls until every container of <paramref name="builderId"/> is gone; returns how long that took, or null at the time-out.</summary>
    public static TimeSpan? WaitUntilGone(Uri endpoint, string builderId, TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (Of(endpoint, builderId) is null) return watch.Elapsed;
            Thread.Sleep(250);
        }
        return null;
    }

    public static ProcessResult Docker(Uri endpoint, params string[] arguments) =>
        ExternalProcess.Run("docker", ["-H", endpoint.ToString(), .. arguments], timeout: TimeSpan.FromMinutes(1));

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
