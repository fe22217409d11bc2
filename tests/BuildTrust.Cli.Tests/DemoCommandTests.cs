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
        Assert.Equal(5, CountOf(run.Error, "SOURCE GATE FAILED"));
        Assert.Contains("only 1 of 2 required policy-admin approvals", run.Error);
        Assert.Contains("self-approval", run.Error);
        Assert.Contains("without user presence", run.Error);
        var repository = Path.Combine(directory.Path, "sample-repo");
        var trustRoot = System.Text.RegularExpressions.Regex.Match(run.Error, "--trust-root ([0-9a-f]{40}) main").Groups[1].Value;
        Assert.Equal(0, CliRun.Invoke("verify-commits", "--repo", repository, "--trust-root", trustRoot, "main").ExitCode);
        Assert.Equal(1, CliRun.Invoke("verify-commits", "--repo", repository, "--trust-root", trustRoot, "attack/forged").ExitCode);
        Assert.Equal(1, CliRun.Invoke("verify-commits", "--repo", repository, "main").ExitCode); // without the trust root the first commit is unreviewed
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
