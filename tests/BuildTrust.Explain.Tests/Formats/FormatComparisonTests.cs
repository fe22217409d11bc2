using System.Text;
using BuildTrust.Explain.Comparison;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Formats;

/// <summary>Each format reader finds the difference where it is, with both values, inside nested containers.</summary>
public sealed class FormatComparisonTests
{
    [Fact]
    public void Tar_WhenOwnersModesAndOrderDiffer_NamesEachMemberWithBothValues()
    {
        var a = Pairs.Tar(new Pairs.TarFile("tree/a", "x"), new Pairs.TarFile("tree/b", "y"));
        var b = Pairs.Tar(new Pairs.TarFile("tree/b", "y", Uid: 2345, Gid: 3456), new Pairs.TarFile("tree/a", "x", Mode: (UnixFileMode)0b110_110_100));

        var (differences, _) = Pairs.Compare(a, b);

        Assert.Contains(differences, d => d.Kind == DifferenceKind.Order && d.A.StartsWith("tree/a", StringComparison.Ordinal) && d.B.StartsWith("tree/b", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Kind == DifferenceKind.Owner && d.Location == "artifact > tree/b" && d.A.StartsWith("0:0", StringComparison.Ordinal) && d.B.StartsWith("2345:3456", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Kind == DifferenceKind.Mode && d.Location == "artifact > tree/a" && d.A == "0644" && d.B == "0664");
    }

    [Fact]
    public void Tar_WhenIdentical_HasNoDifference()
    {
        var a = Pairs.Tar(new Pairs.TarFile("tree/a", "x"));
        Assert.Empty(Pairs.Compare(a, [.. a]).Differences);
    }

    [Fact]
    public void GzippedTar_WhenHeaderTimeAndMemberContentDiffer_ReportsBothLevels()
    {
        var a = Pairs.Gzip(Pairs.Tar(new Pairs.TarFile("doc/NOTES", "built on host-a\n")), mtime: 1_700_000_000);
        var b = Pairs.Gzip(Pairs.Tar(new Pairs.TarFile("doc/NOTES", "built on host-b\n")), mtime: 1_700_000_100);

        var (differences, _) = Pairs.Compare(a, b, name: "pkg.tar.gz");

        Assert.Contains(differences, d => d.Kind == DifferenceKind.Timestamp && d.Location == "pkg.tar.gz (gzip header)" && d.A == "2023-11-14T22:13:20Z");
        var text = Assert.Single(differences, d => d.Kind == DifferenceKind.TextLines);
        Assert.Equal("pkg.tar.gz > (gunzipped) > doc/NOTES:1", text.Location);
        Assert.Equal("built on host-a", text.A);
        Assert.Equal("built on host-b", text.B);
    }

    [Fact]
    public void Zip_WhenEntryOrderAndTimesDiffer_ReportsThem()
    {
        var early = new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var a = Pairs.Zip(("lib/a.dll", "A", early), ("lib/b.dll", "B", early));
        var b = Pairs.Zip(("lib/b.dll", "B", early), ("lib/a.dll", "A", early.AddHours(3)));

        var (differences, _) = Pairs.Compare(a, b, name: "pkg.nupkg");

        Assert.Contains(differences, d => d.Kind == DifferenceKind.Order);
        Assert.Contains(differences, d => d.Kind == DifferenceKind.Timestamp && d.Location == "pkg.nupkg > lib/a.dll" && d.A == "2024-01-01T10:00:00Z" && d.B == "2024-01-01T13:00:00Z");
    }

    [Fact]
    public void Ar_WhenMemberTimeAndNestedTarOwnerDiffer_ReportsThemInsideTheDeb()
    {
        var a = Pairs.Ar(("debian-binary", 1_700_000_000, 0, "2.0\n"u8.ToArray()), ("data.tar.gz", 1_700_000_000, 0, Pairs.Gzip(Pairs.Tar(new Pairs.TarFile("./usr/README", "x")))));
        var b = Pairs.Ar(("debian-binary", 1_700_000_500, 0, "2.0\n"u8.ToArray()), ("data.tar.gz", 1_700_000_000, 0, Pairs.Gzip(Pairs.Tar(new Pairs.TarFile("./usr/README", "x", Uid: 2345)))));

        var (differences, _) = Pairs.Compare(a, b, name: "hello.deb");

        Assert.Contains(differences, d => d.Kind == DifferenceKind.Timestamp && d.Location == "hello.deb > debian-binary");
        Assert.Contains(differences, d => d.Kind == DifferenceKind.Owner && d.Location == "hello.deb > data.tar.gz > (gunzipped) > ./usr/README" && d.B.StartsWith("2345:", StringComparison.Ordinal));
    }

    [Fact]
    public void Elf_WhenBuiltInAnotherFolderWithDebugInformation_NamesTheDwarfCompDir()
    {
        using var scratch = new TemporaryDirectory("buildtrust-elf-");
        var a = HostCompiler.Compile(scratch, "a", HostCompiler.Hello, "-g", "-O2");
        var b = HostCompiler.Compile(scratch, "a-much-longer-folder", HostCompiler.Hello, "-g", "-O2");

        var (differences, _) = Pairs.Compare(a, b, name: "bin/hello");

        var compDir = Assert.Single(differences, d => d.Kind == DifferenceKind.DebugPath);
        Assert.Equal("bin/hello > DWARF compilation unit hello.c (DW_AT_comp_dir)", compDir.Location);
        Assert.Equal(scratch.Combine("a"), compDir.A);
        Assert.Equal(scratch.Combine("a-much-longer-folder"), compDir.B);
        Assert.Contains(differences, d => d.Kind == DifferenceKind.BuildId);
    }

    [Fact]
    public void Elf_WhenAStringDiffers_NamesTheSectionAndBothStrings()
    {
        using var scratch = new TemporaryDirectory("buildtrust-elf-");
        var a = HostCompiler.Compile(scratch, "a", HostCompiler.Hello.Replace("hello", "built on alpha-host", StringComparison.Ordinal), "-O2");
        var b = HostCompiler.Compile(scratch, "a", HostCompiler.Hello.Replace("hello", "built on beta-host!", StringComparison.Ordinal), "-O2");

        var (differences, _) = Pairs.Compare(a, b, name: "bin/stamp");

        Assert.Contains(differences, d => d.Kind == DifferenceKind.Strings && d.Location == "bin/stamp > .rodata" && d.A == "built on alpha-host" && d.B == "built on beta-host!");
    }

    [Fact]
    public void ManagedAssembly_WhenMvidAndTimestampArePatched_ReportsThemAsFollowingFromADeterministicBuild()
    {
        var a = File.ReadAllBytes(typeof(BuildFolderExplainer).Assembly.Location);
        var b = a.ToArray();
        using (var pe = new System.Reflection.PortableExecutable.PEReader(new MemoryStream(a)))
        {
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToByteArray();
            var at = a.AsSpan().IndexOf(mvid);
            b[at] ^= 0xff;
            b[pe.PEHeaders.CoffHeaderStartOffset + 4] ^= 0x01;
        }

        var (differences, _) = Pairs.Compare(a, b, name: "lib/BuildTrust.Explain.dll");

        Assert.Contains(differences, d => d.Kind == DifferenceKind.Mvid && d.A.Contains("deterministic: yes", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Kind == DifferenceKind.PeTimestamp && d.Location == "lib/BuildTrust.Explain.dll (COFF header TimeDateStamp)");
    }

    [Fact]
    public void Text_WhenOneLineDiffers_ReportsThatLineOnly()
    {
        var a = Encoding.UTF8.GetBytes("name: hello\nbuilt: Tuesday\nversion: 1\n");
        var b = Encoding.UTF8.GetBytes("name: hello\nbuilt: mardi\nversion: 1\n");

        var difference = Assert.Single(Pairs.Compare(a, b, name: "BUILDINFO").Differences);

        Assert.Equal(("BUILDINFO:2", "built: Tuesday", "built: mardi"), (difference.Location, difference.A, difference.B));
        Assert.Contains("-built: Tuesday", difference.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedTar_FallsBackToBytesAndSaysSo()
    {
        var a = Pairs.Tar(new Pairs.TarFile("tree/a", "x"));
        var b = a.ToArray();
        b[148] = (byte)'z';   // the header checksum

        var (differences, skipped) = Pairs.Compare(a, b, name: "files.tar");

        Assert.NotEmpty(differences);
        Assert.Contains(skipped, s => s.StartsWith("files.tar: tar cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void GzipBomb_IsNotUnpackedPastTheCap()
    {
        var bomb = Pairs.Gzip(new byte[64 << 20]);
        var other = Pairs.Gzip([.. new byte[64 << 20], 1]);

        var (_, skipped) = Pairs.Compare(bomb, other, ExplainLimits.Default with { MaxFileBytes = 1 << 20 }, name: "bomb.gz");

        Assert.Contains(skipped, s => s.Contains("more than the caps allow", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedContainers_PastTheDepthCap_AreComparedAsBytes()
    {
        byte[] Nest(string content)
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            for (var i = 0; i < 10; i++) bytes = Pairs.Gzip(bytes);
            return bytes;
        }

        var (differences, skipped) = Pairs.Compare(Nest("a"), Nest("b"), ExplainLimits.Default with { MaxDepth = 3 });

        Assert.Contains(skipped, s => s.Contains("nested deeper than 3", StringComparison.Ordinal));
        Assert.NotEmpty(differences);
    }

    [Fact]
    public void Differences_PastTheCap_AreCountedNotKept()
    {
        var a = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 400).Select(i => $"line {i} a\nsame")));
        var b = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 400).Select(i => $"line {i} b\nsame")));
        var comparison = new PairComparison(new ComparisonBudget(ExplainLimits.Default with { MaxDifferencesPerArtifact = 10 }));

        comparison.Compare("many", a, b, 0);

        Assert.Equal(10, comparison.Differences.Count);
        Assert.True(comparison.Dropped + comparison.Budget.Skipped.Count > 0);
    }
}
