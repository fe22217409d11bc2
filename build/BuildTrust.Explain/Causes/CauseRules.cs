using System.Globalization;
using System.Text.RegularExpressions;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Causes;

/// <summary>
/// Turns the differences of one pair of builders into ranked causes. Each rule names what to fix and claims its evidence;
/// what no rule claims is tied to the one variation the two builders differ in, when there is exactly one.
/// </summary>
public static partial class CauseRules
{
    private static readonly string[] LocalizedWords =
    [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "Januar", "Februar", "März", "Juni", "Juli", "Oktober", "Dezember", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag",
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "diciembre", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
    ];

    private static readonly string[] ZipLike = [".zip", ".nupkg", ".snupkg", ".jar", ".war", ".whl", ".apk"];

    public static IReadOnlyList<Cause> Explain(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var causes = new List<Cause>();
        var claimed = new HashSet<Difference>(ReferenceEqualityComparer.Instance);
        void Found(Cause? cause)
        {
            if (cause is not { Evidence.Count: > 0 }) return;
            causes.Add(cause);
            foreach (var evidence in cause.Evidence) claimed.Add(evidence);
        }
        Found(BuildPath(differences, a, b));
        Found(HostName(differences, a, b));
        Found(NotDeterministic(differences));
        Found(Timezone(differences, a, b));
        Found(Owner(differences, a, b));
        Found(Umask(differences, a, b));
        Found(Locale(differences, a, b));
        Found(BuildTime(differences, a, b));
        Found(FileOrder(differences, a, b));
        Found(GzipHeader(differences));
        Found(Toolchain(differences));
        Found(Derived(differences));
        var rest = differences.Where(d => !claimed.Contains(d)).ToList();
        if (rest.Count > 0)
        {
            var varied = a.DifferingVariations(b);
            var where = Artifact(rest[0].Location);
            causes.Add(varied.Count switch
            {
                1 => new Cause("variation", $"`{where}` differs only between builders that differ in `{varied[0]}` alone ({a.Id}: {Value(a, varied[0])}, {b.Id}: {Value(b, varied[0])}); no more specific cause matched",
                    $"make the build independent of {varied[0]}", 60, varied[0], rest),
                > 1 => new Cause("variation", $"`{where}` differs and the builders differ in {string.Join(", ", varied)}; no specific cause matched",
                    "run `buildtrust explain --bisect-variations` to find the variation that causes it", 30, null, rest),
                _ => new Cause("unexplained", $"`{rest[0].Location}` differs{(rest[0].Offset is { } offset ? $" at offset 0x{offset:x}" : "")}; no known cause matched",
                    "read the raw hunks; the builders' recorded variations are identical, so suspect randomness, parallelism or the environment", 10, null, rest),
            });
        }
        return [.. causes.OrderByDescending(c => c.Score).ThenByDescending(c => c.Evidence.Count)];
    }

    private static Cause? BuildPath(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var pathA = Value(a, "build-path");
        var pathB = Value(b, "build-path");
        List<Difference> evidence;
        var score = 95;
        string? shown = null;
        if (pathA is { Length: > 1 } && pathB is { Length: > 1 } && pathA != pathB)
        {
            evidence = [.. differences.Where(d => Has(d.A, pathA) || Has(d.B, pathB) || Has(d.A, pathB) || Has(d.B, pathA))];
            shown = evidence.Any(d => Has(d.B, pathB)) ? pathB : pathA;
        }
        else
        {
            var paths = differences.Where(d => d.Kind is DifferenceKind.DebugPath or DifferenceKind.PdbPath or DifferenceKind.SourceDocument
                && d.A.StartsWith('/') && d.B.StartsWith('/')).SelectMany(d => new[] { d.A, d.B }).Where(p => p.Length > 1).Distinct(StringComparer.Ordinal).ToList();
            evidence = [.. differences.Where(d => paths.Any(p => Has(d.A, p) || Has(d.B, p)))];
            score = 75;
        }
        if (evidence.Count == 0) return null;
        var best = evidence.OrderBy(d => PathPriority(d)).First();
        shown ??= best.B;
        var dotnet = evidence.Any(d => d.Kind is DifferenceKind.PdbPath or DifferenceKind.SourceDocument or DifferenceKind.SourceLink)
            || Artifact(best.Location).EndsWith(".dll", StringComparison.Ordinal) || Artifact(best.Location).EndsWith(".pdb", StringComparison.Ordinal);
        var fix = dotnet
            ? "map it: `<PathMap>$(MSBuildProjectDirectory)=/_/</PathMap>` (or `<ContinuousIntegrationBuild>true</ContinuousIntegrationBuild>` with SourceLink)"
            : "add `-ffile-prefix-map=$(CURDIR)=.` (gcc, clang) so the build folder is not recorded";
        return new Cause("build-path", $"the build path `{shown}` is embedded in `{Artifact(best.Location)}` ({What(best)}): {fix}", fix, score, "build-path", evidence);
    }

    private static int PathPriority(Difference d) => d.Kind switch
    {
        DifferenceKind.DebugPath => 0,
        DifferenceKind.PdbPath => 1,
        DifferenceKind.SourceDocument => 2,
        _ => 3,
    };

    private static string What(Difference d) => d.Kind switch
    {
        DifferenceKind.DebugPath => "DWARF comp_dir",
        DifferenceKind.PdbPath => "the PDB path of its CodeView debug entry",
        DifferenceKind.SourceDocument => "source document paths in its PDB",
        DifferenceKind.TextLines => $"text, line {d.Location[(d.Location.LastIndexOf(':') + 1)..]}",
        _ when d.Location.Contains(" > .debug", StringComparison.Ordinal) => $"DWARF debug strings, {Inner(d.Location)}",
        _ => $"a string in {Inner(d.Location)}",
    };

    private static Cause? HostName(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        foreach (var key in new[] { "hostname", "domain" })
        {
            var hostA = Value(a, key);
            var hostB = Value(b, key);
            if (hostA == hostB) continue;
            var evidence = differences.Where(d => (hostA is { Length: > 2 } && Has(d.A, hostA) && !Has(d.B, hostA)) || (hostB is { Length: > 2 } && Has(d.B, hostB) && !Has(d.A, hostB))).ToList();
            if (evidence.Count == 0) continue;
            var (builder, host) = evidence.Any(d => hostB is { Length: > 2 } && Has(d.B, hostB)) ? (b.Id, hostB) : (a.Id, hostA);
            var fix = "do not record `hostname` or `uname -n` in build outputs (or set a fixed value for the build)";
            return new Cause("hostname", $"the {(key == "domain" ? "domain" : "host")} name of {builder} (`{host}`) appears in `{Artifact(evidence[0].Location)}` ({What(evidence[0])}): {fix}",
                fix, 95, key, evidence);
        }
        return null;
    }

    private static Cause? NotDeterministic(IReadOnlyList<Difference> differences)
    {
        var evidence = differences.Where(d => (d.Kind == DifferenceKind.Mvid && d.A.Contains("deterministic: no", StringComparison.Ordinal)) || d.Kind == DifferenceKind.Deterministic
            || (d.Kind == DifferenceKind.PeTimestamp && !d.A.Contains("deterministic", StringComparison.Ordinal))).ToList();
        if (!evidence.Any(d => d.Kind is DifferenceKind.Mvid or DifferenceKind.Deterministic)) return null;
        var fix = "set `<Deterministic>true</Deterministic>` (and `PathMap` or `ContinuousIntegrationBuild` for paths)";
        return new Cause("not-deterministic", $"MVID differs in `{Artifact(evidence[0].Location)}`: the compilation is not deterministic (no Reproducible debug entry): {fix}", fix, 93, null, evidence);
    }

    private static Cause? Timezone(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var zoneA = Value(a, "timezone");
        var zoneB = Value(b, "timezone");
        if (zoneA is null || zoneB is null || zoneA == zoneB || Offset(zoneA) is not { } offsetA || Offset(zoneB) is not { } offsetB) return null;
        var shift = ((offsetB - offsetA) % 24 + 24) % 24;
        var evidence = differences.Where(d => d.Kind is DifferenceKind.TextLines or DifferenceKind.Strings or DifferenceKind.Timestamp && ShiftedBy(d.A, d.B, shift)).ToList();
        if (evidence.Count == 0) return null;
        var fix = "format times in UTC (`date -u`, `TZ=UTC`) or from SOURCE_DATE_EPOCH without the local zone";
        return new Cause("timezone", $"a time in `{Artifact(evidence[0].Location)}` is written in the builder's time zone ({a.Id}: {zoneA}, {b.Id}: {zoneB}; `{First(evidence[0].A)}` vs `{First(evidence[0].B)}`): {fix}",
            fix, 92, "timezone", evidence);
    }

    private static bool ShiftedBy(string a, string b, int hours)
    {
        var timesA = ClockTime().Matches(a).Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();
        var timesB = ClockTime().Matches(b).Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();
        return hours != 0 && timesA.Any(x => timesB.Any(y => y.Item2 == x.Item2 && ((y.Item1 - x.Item1) % 24 + 24) % 24 == hours));
    }

    /// <summary>Hours east of UTC for <c>UTC</c>, <c>&lt;+14&gt;-14</c> or <c>Etc/GMT-3</c>-like values; null when unknown.</summary>
    private static int? Offset(string zone)
    {
        if (zone is "UTC" or "GMT" or "UTC0" or "Etc/UTC") return 0;
        var match = ZoneOffset().Match(zone);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static Cause? Owner(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var evidence = differences.Where(d => d.Kind == DifferenceKind.Owner).ToList();
        if (evidence.Count == 0) return null;
        var fix = "record a fixed owner: `tar --owner=0 --group=0 --numeric-owner` (dpkg-deb: `--root-owner-group`)";
        var varied = a.DifferingVariations(b).FirstOrDefault(v => v is "user" or "group");
        return new Cause("user", $"the uid/gid of the build user is recorded in `{Artifact(evidence[0].Location)}` ({Inner(evidence[0].Location)}: {evidence[0].A} vs {evidence[0].B}): {fix}", fix, 90, varied ?? "user", evidence);
    }

    private static Cause? Umask(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var evidence = differences.Where(d => d.Kind == DifferenceKind.Mode && Octal(d.A) is { } x && Octal(d.B) is { } y && (x ^ y) != 0 && ((x ^ y) & ~0b000_010_010) == 0).ToList();
        var other = differences.Where(d => d.Kind == DifferenceKind.Mode && !evidence.Contains(d)).ToList();
        if (evidence.Count == 0 && other.Count == 0) return null;
        if (evidence.Count == 0)
            return new Cause("mode", $"permission bits differ in `{Artifact(other[0].Location)}` ({other[0].A} vs {other[0].B})", "set modes explicitly when packing (`tar --mode=...`, `install -m`)", 55, null, other);
        var fix = "set modes explicitly (`tar --mode=go-w`, `install -m 644`) or `umask 022` before writing outputs";
        return new Cause("umask", $"umask-dependent mode bits in `{Artifact(evidence[0].Location)}` ({Inner(evidence[0].Location)}: {evidence[0].A} vs {evidence[0].B}; {a.Id} umask {Value(a, "umask") ?? "?"}, {b.Id} umask {Value(b, "umask") ?? "?"}): {fix}",
            fix, 90, "umask", evidence);
    }

    private static int? Octal(string text)
    {
        try
        {
            return text.StartsWith('0') ? Convert.ToInt32(text, 8) : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    private static Cause? Locale(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var localeA = Value(a, "locale");
        var localeB = Value(b, "locale");
        bool Localized(string text) => LocalizedWords.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase)) || (localeA != localeB && ((localeA is not null && Has(text, localeA)) || (localeB is not null && Has(text, localeB))));
        var evidence = differences.Where(d => d.Kind is DifferenceKind.TextLines or DifferenceKind.Strings
            && (Localized(d.A) != Localized(d.B) || (DecimalComma().IsMatch(d.A) != DecimalComma().IsMatch(d.B) && localeA != localeB))).ToList();
        if (evidence.Count == 0) return null;
        var fix = "format with a fixed locale: `LC_ALL=C.UTF-8` for the step that writes it (or an invariant format)";
        return new Cause("locale", $"locale-dependent format in `{Artifact(evidence[0].Location)}` (`{First(evidence[0].A)}` vs `{First(evidence[0].B)}`; {a.Id}: {localeA ?? "?"}, {b.Id}: {localeB ?? "?"}): {fix}",
            fix, 88, "locale", evidence);
    }

    private static Cause? BuildTime(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var evidence = new List<Difference>();
        string? builder = null, value = null;
        foreach (var d in differences)
        {
            if (d.Kind is not (DifferenceKind.Timestamp or DifferenceKind.TextLines or DifferenceKind.Strings)) continue;
            foreach (var (side, view) in new[] { (d.A, a), (d.B, b) })
            {
                var time = Times(side).FirstOrDefault(t => During(view, t));
                if (time == default) continue;
                evidence.Add(d);
                builder ??= view.Id;
                value ??= time.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                break;
            }
        }
        var timestamps = differences.Where(d => d.Kind == DifferenceKind.Timestamp && !evidence.Contains(d)).ToList();
        if (evidence.Count == 0 && timestamps.Count == 0) return null;
        var first = evidence.Count > 0 ? evidence[0] : timestamps[0];
        var artifact = Artifact(first.Location);
        var fix = first.Location.Contains("gzip header", StringComparison.Ordinal)
            ? "compress with `gzip -n` (no name, no time) or clamp to SOURCE_DATE_EPOCH"
            : ZipLike.Any(z => artifact.EndsWith(z, StringComparison.Ordinal)) && first.Kind == DifferenceKind.Timestamp
            ? "normalise the entry times to SOURCE_DATE_EPOCH (`strip-nondeterminism`, or `touch -d @$SOURCE_DATE_EPOCH` on the inputs and `zip -X`)"
            : "use SOURCE_DATE_EPOCH instead of the clock (`tar --mtime=@$SOURCE_DATE_EPOCH --clamp-mtime`, `touch -d @$SOURCE_DATE_EPOCH`, `date -d @$SOURCE_DATE_EPOCH`)";
        if (evidence.Count == 0)
            return new Cause("build-time", $"a recorded time differs in `{Artifact(first.Location)}` ({Inner(first.Location)}: {first.A} vs {first.B}): {fix}", fix, 60, "time", timestamps);
        return new Cause("build-time", $"a timestamp equal to the build time of {builder} ({value}), not SOURCE_DATE_EPOCH, is recorded in `{Artifact(first.Location)}` ({Inner(first.Location)}): {fix}",
            fix, 85, "time", [.. evidence, .. timestamps]);
    }

    /// <summary>Times written as ISO 8601 or as Unix seconds (10 digits) in a value.</summary>
    private static IEnumerable<DateTimeOffset> Times(string text)
    {
        foreach (Match match in IsoTime().Matches(text))
        {
            if (DateTimeOffset.TryParse(match.Value.Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) yield return time;
        }
        foreach (Match match in UnixSeconds().Matches(text))
        {
            if (long.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) yield return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
    }

    private static bool During(BuilderView view, DateTimeOffset time)
    {
        if (view.StartedOn is not { } start || view.FinishedOn is not { } end) return false;
        var slack = TimeSpan.FromMinutes(2);
        var shift = Value(view, "time") is { } fake && fake.StartsWith('+') && fake.EndsWith('d') && int.TryParse(fake[1..^1], CultureInfo.InvariantCulture, out var days) ? TimeSpan.FromDays(days) : TimeSpan.Zero;
        return (time >= start - slack && time <= end + slack) || (shift != TimeSpan.Zero && time >= start + shift - slack && time <= end + shift + slack);
    }

    private static Cause? FileOrder(IReadOnlyList<Difference> differences, BuilderView a, BuilderView b)
    {
        var evidence = differences.Where(d => d.Kind == DifferenceKind.Order).ToList();
        if (evidence.Count == 0) return null;
        var cpus = a.DifferingVariations(b).Contains("num-cpus") ? " (the order follows the order files were created in, which the number of CPUs changed in a parallel build)" : "";
        var fix = "add members in sorted order: `tar --sort=name`, or sort the file list given to zip or ar";
        return new Cause("file-order", $"members of `{Artifact(evidence[0].Location)}` are in file-system order{cpus}: `{evidence[0].A}` vs `{evidence[0].B}`: {fix}", fix, 80,
            cpus.Length > 0 ? "num-cpus" : "file-ordering", evidence);
    }

    private static Cause? GzipHeader(IReadOnlyList<Difference> differences)
    {
        var evidence = differences.Where(d => d.Kind is DifferenceKind.HeaderName or DifferenceKind.OperatingSystem or DifferenceKind.ExtraField).ToList();
        if (evidence.Count == 0) return null;
        var fix = "write archives without per-host metadata (`gzip -n`; zip: `-X` to leave out extra fields)";
        return new Cause("archive-metadata", $"archive metadata differs in `{Artifact(evidence[0].Location)}` ({evidence[0].Kind}: {evidence[0].A} vs {evidence[0].B}): {fix}", fix, 55, null, evidence);
    }

    private static Cause? Toolchain(IReadOnlyList<Difference> differences)
    {
        var evidence = differences.Where(d => d.Kind == DifferenceKind.Comment).ToList();
        if (evidence.Count == 0) return null;
        var fix = "build with the same pinned toolchain image on every builder";
        return new Cause("toolchain", $"the compiler identification (.comment) differs in `{Artifact(evidence[0].Location)}`: `{evidence[0].A}` vs `{evidence[0].B}`: {fix}", fix, 70, null, evidence);
    }

    private static Cause? Derived(IReadOnlyList<Difference> differences)
    {
        var evidence = differences.Where(d => d.Kind is DifferenceKind.BuildId or DifferenceKind.PdbId
            || (d.Kind == DifferenceKind.Mvid && !d.A.Contains("deterministic: no", StringComparison.Ordinal))
            || (d.Kind == DifferenceKind.PeTimestamp && d.A.Contains("deterministic", StringComparison.Ordinal))).ToList();
        if (evidence.Count == 0) return null;
        return new Cause("derived", $"{string.Join(", ", evidence.Select(d => d.Kind.ToString()).Distinct())} in `{Artifact(evidence[0].Location)}` differ because the content differs (they are hashes of it)",
            "fix the other causes; these follow", 5, null, evidence);
    }

    internal static string Artifact(string location)
    {
        var end = location.IndexOf(" > ", StringComparison.Ordinal);
        var artifact = end < 0 ? location : location[..end];
        var paren = artifact.IndexOf(" (", StringComparison.Ordinal);
        artifact = paren < 0 ? artifact : artifact[..paren];
        var colon = artifact.LastIndexOf(':');
        return colon > 0 && artifact[(colon + 1)..].All(char.IsAsciiDigit) ? artifact[..colon] : artifact;
    }

    private static string Inner(string location)
    {
        var start = location.IndexOf(" > ", StringComparison.Ordinal);
        return start < 0 ? location : location[(start + 3)..];
    }

    private static string First(string value)
    {
        var line = value.Split('\n')[0];
        return line.Length <= 80 ? line : line[..80] + "…";
    }

    private static string? Value(BuilderView view, string key) => view.Variations.TryGetValue(key, out var value) ? value : null;

    private static bool Has(string text, string value) => text.Contains(value, StringComparison.Ordinal);

    [GeneratedRegex(@"\b([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\b")]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"<?([+-]\d{1,2})>")]
    private static partial Regex ZoneOffset();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"\b1\d{9}\b")]
    private static partial Regex UnixSeconds();

    [GeneratedRegex(@"\d,\d")]
    private static partial Regex DecimalComma();
}
