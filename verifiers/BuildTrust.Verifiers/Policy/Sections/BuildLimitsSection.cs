using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary>
/// <c>build.limits</c>: <c>time</c> (<c>90s</c>, <c>30m</c>, <c>2h</c>), <c>memory</c> and <c>log</c> (<c>512MiB</c>, <c>4GiB</c>; units
/// KiB, MiB, GiB, TiB), <c>pids</c> (an integer), and <c>disk</c> with <c>out</c>, <c>build</c>, <c>tmp</c> (sizes). Every key is
/// optional (defaults: <see cref="BuildLimits.Default"/>); other units and limits that cannot hold together are errors naming the line.
/// </summary>
internal static partial class BuildLimitsSection
{
    [GeneratedRegex("^([1-9][0-9]{0,9})(KiB|MiB|GiB|TiB)$")]
    private static partial Regex SizePattern();

    [GeneratedRegex("^([1-9][0-9]{0,6})(s|m|h)$")]
    private static partial Regex TimePattern();

    public static BuildLimits Read(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        var limits = BuildLimits.Default;
        foreach (var (keyNode, value) in f.Mapping(node, "'limits'").Children)
        {
            limits = f.Key(keyNode) switch
            {
                "time" => limits with { Timeout = Time(reading, value) },
                "memory" => limits with { MemoryBytes = Size(reading, value, "memory") },
                "pids" => limits with { Pids = f.Count(value, "pids") },
                "log" => limits with { LogBytes = Size(reading, value, "log") },
                "disk" => ReadDisk(reading, value, limits),
                var other => throw f.Unknown(keyNode, other, "time, memory, pids, log, disk"),
            };
        }
        if (limits.Problem() is { } problem) throw f.Error(node, problem);
        return limits;
    }

    private static BuildLimits ReadDisk(PolicyReading reading, YamlNode node, BuildLimits limits)
    {
        var f = reading.Fields;
        foreach (var (keyNode, value) in f.Mapping(node, "'disk'").Children)
        {
            limits = f.Key(keyNode) switch
            {
                "out" => limits with { OutBytes = Size(reading, value, "disk.out") },
                "build" => limits with { BuildBytes = Size(reading, value, "disk.build") },
                "tmp" => limits with { TmpBytes = Size(reading, value, "disk.tmp") },
                var other => throw f.Unknown(keyNode, other, "out, build, tmp"),
            };
        }
        return limits;
    }

    private static long Size(PolicyReading reading, YamlNode node, string what)
    {
        var match = SizePattern().Match(reading.Fields.String(node, what));
        if (!match.Success) throw reading.Fields.Error(node, $"'{what}' must be a size such as 512MiB or 4GiB (units KiB, MiB, GiB, TiB)");
        var shift = match.Groups[2].Value switch { "KiB" => 10, "MiB" => 20, "GiB" => 30, _ => 40 };
        var count = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return count > long.MaxValue >> shift ? throw reading.Fields.Error(node, $"'{what}' is too large") : count << shift;
    }

    private static TimeSpan Time(PolicyReading reading, YamlNode node)
    {
        var match = TimePattern().Match(reading.Fields.String(node, "time"));
        if (!match.Success) throw reading.Fields.Error(node, "'time' must be a duration such as 90s, 30m or 2h");
        var count = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "s" => TimeSpan.FromSeconds(count), "m" => TimeSpan.FromMinutes(count), _ => TimeSpan.FromHours(count) };
    }
}
