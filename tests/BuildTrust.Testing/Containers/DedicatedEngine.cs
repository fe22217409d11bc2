using System.Diagnostics;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.Containers;

/// <summary>
/// A dockerd of its own, for tests that kill or restart the engine: the shared engines a and b are never touched. Its
/// data root, exec root, pidfile, socket and log are under a temporary folder; no bridge and no iptables, as build.sh's
/// ensure_engines starts the shared ones. Needs root and docker.io, as the engine tests do.
/// </summary>
public sealed class DedicatedEngine : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-dockerd-");
    private Process? daemon;

    private DedicatedEngine()
    {
    }

    public Uri Endpoint => new($"unix://{directory.Combine("docker.sock")}");

    public string DataRoot => directory.Combine("data");

    public string LogPath => directory.Combine("dockerd.log");

    public static async Task<DedicatedEngine> StartAsync()
    {
        var engine = new DedicatedEngine();
        try
        {
            await engine.RestartAsync();
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>Starts dockerd on the same folders (after <see cref="Kill"/>, as an operator would) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        if (daemon is { HasExited: false }) throw new InvalidOperationException("dockerd is running");
        var info = new ProcessStartInfo("dockerd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[]
        {
            "--data-root", DataRoot, "--exec-root", directory.Combine("exec"), "--pidfile", directory.Combine("dockerd.pid"),
            "--host", Endpoint.ToString(), "--bridge", "none", "--iptables=false",
        })
        {
            info.ArgumentList.Add(argument);
        }
        daemon = Process.Start(info) ?? throw new InvalidOperationException("dockerd did not start");
        daemon.StandardInput.Close();
        var log = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        daemon.OutputDataReceived += (_, e) => Write(log, e.Data);
        daemon.ErrorDataReceived += (_, e) => Write(log, e.Data);
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        using var engine = DockerContainerEngine.Connect(Endpoint, null);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await engine.DescribeAsync(CancellationToken.None);
                return;
            }
            catch (ContainerEngineException) when (watch.Elapsed < TimeSpan.FromSeconds(90) && !daemon.HasExited)
            {
                await Task.Delay(250);
            }
            catch (ContainerEngineException e)
            {
                string tail;
                lock (log) tail = string.Join('\n', File.ReadLines(LogPath).Where(line => !line.Contains("[core]", StringComparison.Ordinal)).TakeLast(25));
                throw new InvalidOperationException($"dockerd did not start ({e.Message}); the end of {LogPath}:\n{tail}", e);
            }
        }
    }

    /// <summary>SIGKILL to dockerd; returns when its containerd has gone with it (the containers' shims do not).</summary>
    public void Kill()
    {
        var containerdPidFile = directory.Combine("exec", "containerd", "containerd.pid");
        var containerd = File.Exists(containerdPidFile) ? File.ReadAllText(containerdPidFile).Trim() : null;
        daemon!.Kill();
        daemon.WaitForExit();
        var watch = Stopwatch.StartNew();
        while (containerd is not null && Read($"/proc/{containerd}/stat") is { } stat && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            // Orphaned, containerd is reaped by the machine's init; this one (firecracker's process_api) leaves zombies, and
            // dockerd would then take the zombie for a running containerd and fail to start. With a reaping init it is just gone.
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                File.Delete(containerdPidFile);
                break;
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>Processes whose command line names this engine's folder and <paramref name="part"/>.</summary>
    private IEnumerable<int> ProcessesOf(string part) => Directory.EnumerateDirectories("/proc")
        .Select(folder => int.TryParse(Path.GetFileName(folder), out var pid) ? pid : 0)
        .Where(pid => pid > 0 && Read($"/proc/{pid}/cmdline") is { } line && line.Contains(directory.Path, StringComparison.Ordinal) && line.Contains(part, StringComparison.Ordinal))
        .ToList();

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<int> WithDescendants(int pid) =>
        [pid, .. (Read($"/proc/{pid}/task/{pid}/children") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).SelectMany(WithDescendants)];

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    /// <summary>Stops dockerd; if a test left it dead with containers running, kills what runs under it, unmounts what it mounted, and deletes the folder.</summary>
    public void Dispose()
    {
        if (daemon is { HasExited: false })
        {
            Pipeline.Processes.ExternalProcess.Run("kill", ["-s", "TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!daemon.WaitForExit(TimeSpan.FromSeconds(60))) daemon.Kill();
        }
        daemon?.Dispose();
        foreach (var pid in ProcessesOf("").SelectMany(WithDescendants).Distinct().ToList())
        {
            Pipeline.Processes.ExternalProcess.Run("kill", ["-s", "KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        var mounts = File.ReadAllLines("/proc/self/mounts").Select(line => line.Split(' ')[1]).Where(path => path.StartsWith(directory.Path + "/", StringComparison.Ordinal));
        foreach (var mount in mounts.OrderByDescending(path => path.Length)) Pipeline.Processes.ExternalProcess.Run("umount", ["-l", mount]);
        directory.Dispose();
    }
}
