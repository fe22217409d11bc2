using System.Globalization;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// A process as no other can be, on any machine, container or boot: the kernel's boot id, the process's PID
/// namespace, its pid there and its start time (clock ticks after boot). Host name and pid alone collide: CI
/// runners in different PID namespaces share an engine, and pids are reused. Written on every container as its
/// owner, as <c>boot-id/pid-namespace/pid/start-ticks</c>.
/// </summary>
public sealed record ProcessIdentity(string BootId, string PidNamespace, int Pid, long StartTicks)
{
    /// <summary>This process; null when /proc cannot tell (then nothing here is ever judged dead by its owner).</summary>
    public static ProcessIdentity? Current { get; } = Of(Environment.ProcessId, "self");

    /// <summary>The process with this pid in our PID namespace, or null when there is none (or /proc cannot tell).</summary>
    public static ProcessIdentity? OfProcess(int pid) => Of(pid, pid.ToString(CultureInfo.InvariantCulture));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{BootId}/{PidNamespace}/{Pid}/{StartTicks}");

    public static ProcessIdentity? Parse(string label)
    {
        var parts = label.Split('/');
        return parts.Length == 4 && parts[0].Length == 36 && parts[1].Length > 0 && parts[1].All(char.IsAsciiDigit)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new ProcessIdentity(parts[0], parts[1], pid, ticks)
            : null;
    }

    /// <summary>Whether this and <paramref name="other"/> see the same pids: same boot and the same PID namespace.</summary>
    public bool SharesPidsWith(ProcessIdentity other) => BootId == other.BootId && PidNamespace == other.PidNamespace;

    /// <summary>Whether the process still runs: its pid here names a process that started at the same tick. Only meaningful when <see cref="SharesPidsWith"/> holds.</summary>
    public bool IsRunning()
    {
        try
        {
            return StartTicksIn(File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat")) == StartTicks;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return true;   // cannot tell: keep it, the deadline still applies
        }
    }

    /// <param name="procName">The /proc entry: <c>self</c> or the pid.</param>
    private static ProcessIdentity? Of(int pid, string procName)
    {
        try
        {
            var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo($"/proc/{procName}/ns/pid").LinkTarget;   // pid:[4026531836]
            var ticks = StartTicksIn(File.ReadAllText($"/proc/{procName}/stat"));
            if (pidNamespace is null || !pidNamespace.StartsWith("pid:[", StringComparison.Ordinal)) return null;
            return new ProcessIdentity(bootId, pidNamespace["pid:[".Length..^1], pid, ticks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Field 22 of /proc/PID/stat; the command name (field 2) is in parentheses and may hold spaces and ')'.</summary>
    private static long StartTicksIn(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length >= 20 ? long.Parse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture) : throw new FormatException("short /proc stat line");
    }
}
