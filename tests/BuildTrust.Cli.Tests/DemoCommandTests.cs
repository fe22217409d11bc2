using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

[Collection("engines")]
public sealed class DemoCommandTests
{
    [EngineFact]
    public void Demo_ReleasesOnTwoEnginesAuditsAndCatchesTheTamperedArtifact()
    {
        using var directory = new TemporaryDirectory("buildtrust-demo-test-");

        var run = CliRun.Invoke("demo", "--out", directory.Path, "--engine", TestEngines.A.ToString(), "--engine", TestEngines.B.ToString());

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("DEMO release key", run.Error);
        Assert.Contains("RELEASED main", run.Error);
        Assert.Equal(1, CountOf(run.Error, "AUDIT PASSED"));
        Assert.Equal(1, CountOf(run.Error, "AUDIT FAILED"));
        var trustRoot = System.Text.RegularExpressions.Regex.Match(run.Error, "--trust-root ([0-9a-f]{40}) main").Groups[1].Value;
        var audit = CliRun.Invoke("audit", Path.Combine(directory.Path, "release"), "--repo", Path.Combine(directory.Path, "sample-repo"), "--trust-root", trustRoot);
        Assert.True(audit.ExitCode == 0, audit.Error);
        // sigstore-js is installed by the test command; a missing one fails here, loudly, never skips the outside check.
        var release = Path.Combine(directory.Path, "release");
        var result = SigstoreJs.Verify(Path.Combine(release, "bin", "hello.sigstore.json"), Path.Combine(release, "release.pub"), Path.Combine(release, "bin", "hello"));
        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    [Fact]
    public void Demo_PassesTheReleaseAndRefusesEveryAttack()
    {
        using var directory = new TemporaryDirectory("buildtrust-demo-test-");

        var run = CliRun.Invoke("demo", "--out", directory.Path, "--source-gate-only");

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

        Assert.Equal(2, CliRun.Invoke("demo", "--out", directory.Path, "--source-gate-only").ExitCode);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
