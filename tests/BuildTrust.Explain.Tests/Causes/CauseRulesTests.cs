using BuildTrust.Explain.Causes;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Tests.Causes;

/// <summary>Each rule ranks its cause first on its own evidence, names what to fix, and stays silent without it.</summary>
public sealed class CauseRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static BuilderView Builder(string id, params (string Key, string Value)[] varied)
    {
        var variations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["timezone"] = "UTC", ["locale"] = "C.UTF-8", ["umask"] = "0022", ["hostname"] = "buildtrust", ["domain"] = "", ["user"] = "1000", ["group"] = "1000",
            ["build-path"] = "/build/src", ["num-cpus"] = "all", ["time"] = "real",
        };
        foreach (var (key, value) in varied) variations[key] = value;
        return new BuilderView(id, variations, Start, Start.AddMinutes(1));
    }

    private static readonly BuilderView Reference = Builder("builder-a");

    private static Cause First(BuilderView other, params Difference[] differences) => CauseRules.Explain(differences, Reference, other)[0];

    [Fact]
    public void BuildPath_InDwarfCompDir_IsRankedFirstWithThePrefixMapFix()
    {
        var cause = First(Builder("builder-b", ("build-path", "/build/a-much-longer-varied-build-path/src"), ("hostname", "builder-b-varied-host")),
            new Difference("bin/hello > DWARF compilation unit hello.c (DW_AT_comp_dir)", DifferenceKind.DebugPath, "/build/src/c", "/build/a-much-longer-varied-build-path/src/c"),
            new Difference("bin/hello > .note.gnu.build-id", DifferenceKind.BuildId, "aa", "bb"));

        Assert.Equal("build-path", cause.Id);
        Assert.Equal("the build path `/build/a-much-longer-varied-build-path/src` is embedded in `bin/hello` (DWARF comp_dir): add `-ffile-prefix-map=$(CURDIR)=.` (gcc, clang) so the build folder is not recorded", cause.Summary);
    }

    [Fact]
    public void BuildPath_InAPdbPath_SuggestsPathMap()
    {
        var cause = First(Builder("builder-b", ("build-path", "/build/x/src")),
            new Difference("bin/App.dll (CodeView debug entry)", DifferenceKind.PdbPath, "/build/src/obj/App.pdb", "/build/x/src/obj/App.pdb"));

        Assert.Equal("build-path", cause.Id);
        Assert.Contains("PathMap", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void HostName_IsRankedFirstAndNamesTheBuilder()
    {
        var cause = First(Builder("builder-b", ("hostname", "builder-b-varied-host")),
            new Difference("bin/stamp > .rodata", DifferenceKind.Strings, "built on buildtrust", "built on builder-b-varied-host"));

        Assert.Equal("hostname", cause.Id);
        Assert.StartsWith("the host name of builder-b (`builder-b-varied-host`) appears in `bin/stamp`", cause.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildTime_WithinTheBuildersWindow_IsNotSourceDateEpoch()
    {
        var cause = First(Builder("builder-b"), new Difference("bin/stamp > .rodata", DifferenceKind.Strings, "built at 2026-12-01T12:00:10Z", "built at 2026-12-01T12:00:40Z"));

        Assert.Equal("build-time", cause.Id);
        Assert.Contains("not SOURCE_DATE_EPOCH", cause.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildTime_InZipEntries_SaysHowToNormaliseThem()
    {
        var cause = First(Builder("builder-b"), new Difference("pkg/Lib.1.0.0.nupkg > lib/net10.0/Lib.dll", DifferenceKind.Timestamp, "2026-12-01T12:00:10Z", "2026-12-01T12:00:50Z"));

        Assert.Equal("build-time", cause.Id);
        Assert.Contains("strip-nondeterminism", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildTime_FarFromTheBuild_IsNotClaimed()
    {
        var causes = CauseRules.Explain([new Difference("VERSION", DifferenceKind.TextLines, "released 2001-01-01T00:00:00", "released 2002-01-01T00:00:00")], Reference, Builder("builder-b"));

        Assert.DoesNotContain(causes, c => c.Id == "build-time");
    }

    [Fact]
    public void Timezone_WhenTimesDifferByTheZoneOffset_IsRankedFirst()
    {
        var cause = First(Builder("builder-b", ("timezone", "<+14>-14")), new Difference("RELEASE:1", DifferenceKind.TextLines, "released 2026-12-01 11:58 UTC", "released 2026-12-02 01:58 +14"));

        Assert.Equal("timezone", cause.Id);
        Assert.Contains("date -u", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Timezone_WhenTheShiftIsNotTheOffset_IsNotClaimed()
    {
        var causes = CauseRules.Explain([new Difference("RELEASE:1", DifferenceKind.TextLines, "at 11:58", "at 12:58")], Reference, Builder("builder-b", ("timezone", "<+14>-14")));

        Assert.DoesNotContain(causes, c => c.Id == "timezone");
    }

    [Fact]
    public void Locale_WhenAMonthNameIsTranslated_IsRankedFirst()
    {
        var cause = First(Builder("builder-b", ("locale", "fr_CH.UTF-8")), new Difference("BUILDINFO:1", DifferenceKind.TextLines, "Compiled on 01 December 2026", "Compiled on 01 décembre 2026"));

        Assert.Equal("locale", cause.Id);
    }

    [Fact]
    public void Umask_WhenOnlyGroupWriteDiffers_IsRankedFirst_AndOtherModeChangesAreNotUmask()
    {
        Assert.Equal("umask", First(Builder("builder-b", ("umask", "0002")), new Difference("files.tar > tree/a", DifferenceKind.Mode, "0644", "0664")).Id);
        Assert.Equal("mode", First(Builder("builder-b"), new Difference("files.tar > tree/a", DifferenceKind.Mode, "0644", "0755")).Id);
    }

    [Fact]
    public void Owner_InATar_IsTheBuildUser()
    {
        var cause = First(Builder("builder-b", ("user", "2345")), new Difference("files.tar > tree/a", DifferenceKind.Owner, "1000:1000", "2345:3456"));

        Assert.Equal("user", cause.Id);
        Assert.Contains("--owner=0", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_OfTarMembers_IsFileOrder_TiedToCpusWhenTheyDiffer()
    {
        var cause = First(Builder("builder-b", ("num-cpus", "1")), new Difference("files.tar", DifferenceKind.Order, "tree/b, tree/a", "tree/a, tree/b"));

        Assert.Equal(("file-order", "num-cpus"), (cause.Id, cause.Variation));
    }

    [Fact]
    public void Mvid_WithoutTheDeterministicFlag_IsANonDeterministicCompilation()
    {
        var cause = First(Builder("builder-b"), new Difference("bin/App.dll (module)", DifferenceKind.Mvid, "1 (deterministic: no)", "2 (deterministic: no)"));

        Assert.Equal("not-deterministic", cause.Id);
        Assert.StartsWith("MVID differs in `bin/App.dll`: the compilation is not deterministic", cause.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Mvid_OfADeterministicBuild_FollowsFromTheOtherDifferences()
    {
        var causes = CauseRules.Explain([
            new Difference("bin/App.dll (module)", DifferenceKind.Mvid, "1 (deterministic: yes)", "2 (deterministic: yes)"),
            new Difference("bin/App.dll", DifferenceKind.Strings, "/build/src/App.cs", "/build/x/src/App.cs"),
        ], Reference, Builder("builder-b", ("build-path", "/build/x/src")));

        Assert.Equal("build-path", causes[0].Id);
        Assert.Equal("derived", causes[^1].Id);
    }

    [Fact]
    public void UnexplainedDifference_BetweenBuildersDifferingInOneVariation_PointsAtIt()
    {
        var cause = First(Builder("builder-b", ("num-cpus", "1")), new Difference("bin/data", DifferenceKind.Bytes, "00", "01", 12));

        Assert.Equal(("variation", "num-cpus"), (cause.Id, cause.Variation));
    }

    [Fact]
    public void UnexplainedDifference_BetweenBuildersDifferingInSeveral_AsksForVariationBisection()
    {
        var cause = First(Builder("builder-b", ("num-cpus", "1"), ("umask", "0002")), new Difference("bin/data", DifferenceKind.Bytes, "00", "01", 12));

        Assert.Equal("variation", cause.Id);
        Assert.Contains("--bisect-variations", cause.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void UnexplainedDifference_WithIdenticalVariations_IsSaidToBeUnexplained()
    {
        Assert.Equal("unexplained", First(Builder("builder-b"), new Difference("bin/data", DifferenceKind.Bytes, "00", "01", 12)).Id);
    }
}
