using System.Text;
using BuildTrust.Testing.Ssh;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Tests.Policy;

/// <summary>build.limits: optional, every key checked, sizes and durations in one spelling, limits that cannot hold together refused with the line.</summary>
public sealed class BuildLimitsSectionTests
{
    private static readonly string MaintainerKey = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519).PublicKeyLine;

    private static BuildRecipe Load(string limits) => PolicyLoader.Parse(Encoding.UTF8.GetBytes($"""
        version: 1
        maintainers:
          - id: alice
            roles: [author]
            keys:
              - ssh: "{MaintainerKey}"
        build:
          image: "sha256:{new string('0', 64)}"
          command: ["make"]
          outputs: ["/out/**"]
        {limits}
        """), "release.yaml").Build!;

    [Fact]
    public void Load_WhenNoLimitsAreGiven_UsesTheDefaults()
    {
        var limits = Load("").Limits;

        Assert.Equal(BuildLimits.Default, limits);
        Assert.Equal(TimeSpan.FromMinutes(30), limits.Timeout);
        Assert.Equal(4L << 30, limits.MemoryBytes);
        Assert.Equal(64L << 20, limits.LogBytes);
        Assert.Null(limits.Problem());
    }

    [Fact]
    public void Load_WhenEveryLimitIsGiven_ReadsThem()
    {
        var limits = Load("""
              limits:
                time: 90s
                memory: 8GiB
                pids: 512
                log: 16MiB
                disk:
                  out: 2GiB
                  build: 3GiB
                  tmp: 512MiB
            """).Limits;

        Assert.Equal(new BuildLimits(TimeSpan.FromSeconds(90), 8L << 30, 512, 2L << 30, 3L << 30, 512L << 20, 16L << 20), limits);
    }

    [Fact]
    public void Load_WhenOnlySomeLimitsAreGiven_KeepsTheOtherDefaults()
    {
        var limits = Load("  limits:\n    time: 2h\n    disk:\n      out: 100MiB\n").Limits;

        Assert.Equal(BuildLimits.Default with { Timeout = TimeSpan.FromHours(2), OutBytes = 100L << 20 }, limits);
    }

    [Fact]
    public void Limits_AreNotPartOfTheRecipeDigest()
    {
        Assert.Equal(Load("").Digest(), Load("  limits:\n    time: 2h\n").Digest());
    }

    [Theory]
    [InlineData("    time: 30\n", "'time' must be a duration such as 90s, 30m or 2h", 12)]
    [InlineData("    time: 1d\n", "'time' must be a duration", 12)]
    [InlineData("    time: 0s\n", "'time' must be a duration", 12)]
    [InlineData("    time: 73h\n", "'time' must be between 1s and 72h", 12)]
    [InlineData("    memory: 4G\n", "'memory' must be a size such as 512MiB or 4GiB", 12)]
    [InlineData("    memory: 4gib\n", "'memory' must be a size", 12)]
    [InlineData("    memory: 128MiB\n", "'memory' must be between 256MiB and 1TiB", 12)]
    [InlineData("    memory: -4GiB\n", "'memory' must be a size", 12)]
    [InlineData("    memory: 99999999999TiB\n", "'memory' must be a size", 12)]
    [InlineData("    pids: \"4096\"\n", "'pids' must be an integer", 12)]
    [InlineData("    pids: 10\n", "'pids' must be between 64 and 1048576", 12)]
    [InlineData("    log: 512KiB\n", "'log' must be between 1MiB and 4GiB", 12)]
    [InlineData("    disk:\n      out: 0MiB\n", "'disk.out' must be a size", 13)]
    [InlineData("    disk:\n      home: 1GiB\n", "unknown key 'home' (allowed here: out, build, tmp)", 13)]
    [InlineData("    cpus: 2\n", "unknown key 'cpus' (allowed here: time, memory, pids, log, disk)", 12)]
    [InlineData("    disk: 1GiB\n", "'disk' must be a mapping", 12)]
    [InlineData("    memory: 2GiB\n", "'memory' (2GiB) must exceed disk.out + disk.build + disk.tmp (3GiB) by at least 128MiB", 12)]
    [InlineData("    disk:\n      build: 3GiB\n", "'memory' (4GiB) must exceed disk.out + disk.build + disk.tmp (5GiB)", 12)]
    public void Load_WhenALimitIsMalformedOrCannotHold_RefusesNamingTheLine(string body, string expected, int line)
    {
        var error = Assert.Throws<PolicyException>(() => Load($"  limits:\n{body}"));

        Assert.Contains(expected, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Load_WhenLimitsIsNotAMapping_Refuses()
    {
        Assert.Contains("'limits' must be a mapping", Assert.Throws<PolicyException>(() => Load("  limits: [1]\n")).Message);
    }
}
