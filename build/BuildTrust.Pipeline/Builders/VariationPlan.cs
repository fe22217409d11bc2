using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// The environment one builder runs the recipe in. Builders that list a variation in the policy get the
/// varied value, the others the reference value, so any two builders with different lists build under
/// different conditions (in the spirit of reprotest). Recorded in each builder's provenance.
/// </summary>
public sealed record VariationPlan(
    string Timezone, string Locale, string Umask, string Hostname, string Domain, int Uid, int Gid,
    string WorkingDirectory, string? CpuSet, string? FakeTime, IReadOnlyList<string> Applied, IReadOnlyDictionary<string, string> NotApplied)
{
    public const string ReferenceWorkingDirectory = "/build/src";

    public static VariationPlan For(BuilderDefinition builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var varied = builder.Variations;
        bool Has(string name) => varied.Contains(name);
        var notApplied = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Has("file-ordering"))
            notApplied["file-ordering"] = "disorderfs needs FUSE (CAP_SYS_ADMIN and /dev/fuse), which the builder's lock-down forbids";
        return new VariationPlan(
            Timezone: Has("timezone") ? "<+14>-14" : "UTC",
            Locale: Has("locale") ? "fr_CH.UTF-8" : "C.UTF-8",
            Umask: Has("umask") ? "0002" : "0022",
            Hostname: Has("hostname") ? $"{builder.Id}-varied-host" : "buildtrust",
            Domain: Has("domain") ? "varied.example.invalid" : "",
            Uid: Has("user") ? 2345 : 1000,
            Gid: Has("group") || Has("user") ? 3456 : 1000,
            WorkingDirectory: Has("build-path") ? "/build/a-much-longer-varied-build-path/src" : ReferenceWorkingDirectory,
            CpuSet: Has("num-cpus") ? "0" : null,
            FakeTime: Has("time") ? "+398d" : null,
            Applied: [.. varied.Where(v => !notApplied.ContainsKey(v)).Order(StringComparer.Ordinal)],
            NotApplied: notApplied);
    }

    /// <summary>The values as recorded in provenance (every variation, varied or not).</summary>
    public IReadOnlyDictionary<string, string> Recorded()
    {
        var recorded = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["timezone"] = Timezone,
            ["locale"] = Locale,
            ["umask"] = Umask,
            ["hostname"] = Hostname,
            ["domain"] = Domain,
            ["user"] = Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["group"] = Gid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["build-path"] = WorkingDirectory,
            ["num-cpus"] = CpuSet is null ? "all" : "1",
            ["time"] = FakeTime ?? "real",
            ["varied"] = string.Join(",", Applied),
        };
        foreach (var (name, reason) in NotApplied) recorded[$"not-applied:{name}"] = reason;
        return recorded;
    }
}
