using System.Diagnostics;
using System.Text;
using BuildTrust.Explain.Comparison;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every format reader of the explainer (artifacts are attacker-controlled): a valid input against
/// bit flips, byte changes, cuts and insertions of itself must end in differences, never in an exception, and within the
/// caps. Seeds are fixed, so failures repeat.
/// </summary>
public sealed class ExplainMutationFuzzTests
{
    private const int Iterations = 1500;

    private static readonly ExplainLimits Limits = ExplainLimits.Default with { MaxFileBytes = 8 << 20, MaxTotalBytes = 64L << 20, Time = TimeSpan.FromSeconds(20) };

    public static TheoryData<string> Seeds => ["tar", "tar.gz", "zip", "deb", "elf", "pe", "pdb", "text"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Compare_WhenOneSideIsMutated_NeverThrowsAndStaysWithinTheCaps(string format)
    {
        using var scratch = new TemporaryDirectory("buildtrust-fuzz-");
        var seed = Seed(format, scratch);
        var clock = Stopwatch.StartNew();
        var random = new Random(format.GetHashCode(StringComparison.Ordinal) & 0xffff);
        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(seed, random);
            var comparison = new PairComparison(new ComparisonBudget(Limits));
            var exception = Record.Exception(() => comparison.Compare("artifact", seed, mutated, 0));
            Assert.True(exception is null, $"{format} mutation {i}: {exception}");
            Assert.True(comparison.Differences.Count <= Limits.MaxDifferencesPerArtifact);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"{Iterations} comparisons took {clock.Elapsed}");
    }

    private static byte[] Seed(string format, TemporaryDirectory scratch)
    {
        var tar = Pairs.Tar(new Pairs.TarFile("tree/a", "alpha\n"), new Pairs.TarFile("tree/b", "beta\n", Uid: 1000));
        var assembly = typeof(BuildFolderExplainer).Assembly.Location;
        return format switch
        {
            "tar" => tar,
            "tar.gz" => Pairs.Gzip(tar, 1_700_000_000),
            "zip" => Pairs.Zip(("lib/a.txt", "alpha", DateTimeOffset.UnixEpoch.AddYears(40)), ("lib/b.txt", "beta", DateTimeOffset.UnixEpoch.AddYears(40))),
            "deb" => Pairs.Ar(("debian-binary", 1, 0, "2.0\n"u8.ToArray()), ("data.tar.gz", 1, 0, Pairs.Gzip(tar))),
            "elf" => HostCompiler.Compile(scratch, "elf", HostCompiler.Hello, "-g", "-O2"),
            "pe" => File.ReadAllBytes(assembly),
            "pdb" => File.ReadAllBytes(Path.ChangeExtension(assembly, ".pdb")),
            _ => Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(0, 200).Select(i => $"line {i}"))),
        };
    }

    private static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = input.ToList();
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            // Headers hold most of the structure: half of the edits land in the first 512 bytes.
            var at = random.Next(2) == 0 ? random.Next(Math.Min(512, bytes.Count)) : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256))); break;
                case 4: bytes[at] = 0xff; if (at + 1 < bytes.Count) bytes[at + 1] = 0xff; break;
                default: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8))); break;
            }
        }
        return [.. bytes];
    }
}
