using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_PassesTheReleaseAndRefusesEveryAttack()
    {
        using var directory = new TemporaryDirectory("buildtrust-demo-test-");

        var run = CliRun.Invoke("demo", "--out", directory.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("DEMO KEYS", run.Error);
        Assert.Equal(1, CountOf(run.Error, "SOURCE GATE PASSED"));
        Assert.Equal(3, CountOf(run.Error, "SOURCE GATE FAILED"));
        Assert.Contains("without user presence", run.Error);
        var verify = CliRun.Invoke("verify-commits", "--repo", Path.Combine(directory.Path, "sample-repo"), "main");
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(1, CliRun.Invoke("verify-commits", "--repo", Path.Combine(directory.Path, "sample-repo"), "attack/forged").ExitCode);
    }

    [Fact]
    public void Demo_WhenOutputNotEmpty_ExitsTwo()
    {
        using var directory = new TemporaryDirectory("buildtrust-demo-test-");
        Directory.CreateDirectory(Path.Combine(directory.Path, "sample-repo", "x"));

        Assert.Equal(2, CliRun.Invoke("demo", "--out", directory.Path).ExitCode);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
