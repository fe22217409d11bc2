using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy;

/// <summary>
/// Reads <c>build.limits</c> strictly: <c>time</c> (<c>90s</c>, <c>30m</c>, <c>2h</c>), <c>memory</c> and <c>log</c>
/// (<c>512MiB</c>, <c>4GiB</c>; units KiB, MiB, GiB, TiB), <c>pids</c> (an integer), and <c>disk</c> with
/// <c>out</c>, <c>build</c>, <c>tmp</c> (sizes). Every key is optional (defaults: <see cref="BuildLimits.Default"/>);
/// unknown keys, other units and limits that cannot hold together are errors naming the line.
/// </summary>
internal static partial class BuildLimitsReader
{
    [GeneratedRegex("^([1-9][0-9]{0,9})(KiB|MiB|GiB|TiB)$")]
    private static partial Regex SizePattern();

    [GeneratedRegex("^([1-9][0-9]{0,6})(s|m|h)$")]
    private static partial Regex TimePattern();

    public static BuildLimits Read(YamlNode node, string source)
    {
        var limits = BuildLimits.Default;
        foreach (var (keyNode, value) in Mapping(node, "limits", source).Children)
        {
            limits = Key(keyNode) switch
            {
                "time" => limits with { Timeout = Time(value, source) },
                "memory" => limits with { MemoryBytes = Size(value, "memory", source) },
                "pids" => limits with { Pids = Integer(value, "pids", source) },
                "log" => limits with { LogBytes = Size(value, "log", source) },
                "disk" => ReadDisk(value, limits, source),
                var other => throw Error(keyNode, $"unknown key '{other}' (allowed here: time, memory, pids, log, disk)", source),
            };
        }
        if (limits.Problem() is { } problem) throw Error(node, problem, source);
        return limits;
    }

    private static BuildLimits ReadDisk(YamlNode node, BuildLimits limits, string source)
    {
        foreach (var (keyNode, value) in Mapping(node, "disk", source).Children)
        {
            limits = Key(keyNode) switch
            {
                "out" => limits with { OutBytes = Size(value, "disk.out", source) },
                "build" => limits with { BuildBytes = Size(value, "disk.build", source) },
                "tmp" => limits with { TmpBytes = Size(value, "disk.tmp", source) },
                var other => throw Error(keyNode, $"unknown key '{other}' (allowed here: out, build, tmp)", source),
            };
        }
        return limits;
    }

    private static long Size(YamlNode node, string what, string source)
    {
        var match = SizePattern().Match(Scalar(node, what, source));
        if (!match.Success) throw Error(node, $"'{what}' must be a size such as 512MiB or 4GiB (units KiB, MiB, GiB, TiB)", source);
        var shift = match.Groups[2].Value switch { "KiB" => 10, "MiB" => 20, "GiB" => 30, _ => 40 };
        var count = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return count > long.MaxValue >> shift ? throw Error(node, $"'{what}' is too large", source) : count << shift;
    }

    private static TimeSpan Time(YamlNode node, string source)
    {
        var match = TimePattern().Match(Scalar(node, "time", source));
        if (!match.Success) throw Error(node, "'time' must be a duration such as 90s, 30m or 2h", source);
        var count = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "s" => TimeSpan.FromSeconds(count), "m" => TimeSpan.FromMinutes(count), _ => TimeSpan.FromHours(count) };
    }

    private static long Integer(YamlNode node, string what, string source) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(node, $"'{what}' must be an integer", source);

    private static string Scalar(YamlNode node, string what, string source) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(node, $"'{what}' must be a non-empty string", source);

    private static YamlMappingNode Mapping(YamlNode node, string what, string source) =>
        node as YamlMappingNode ?? throw Error(node, $"'{what}' must be a mapping (key: value)", source);

    private static string Key(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : "";

    private static PolicyException Error(YamlNode node, string problem, string source) => new(source, node.Start.Line, node.Start.Column, problem);
}
