using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Git;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// Inputs that are not files, too large to be files, or outputs that are gone: every run ends with one clear line and the
/// contract's exit code, never a hang, a stack trace or memory that grows with the input. Run as the real process, with a
/// deadline, because a hang or a crash is exactly what they guard against.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _outside = new("buildtrust-hostile-");
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
    private readonly string _policy;

    public HostileInputTests()
    {
        _policy = new PolicyBuilder().Maintainer("alice", ["author"], _alice.PublicKeyLine).WriteTo(_outside.Combine("policy", "release.yaml"));
        _repo.CommitSignedBy(_alice, "one");
    }

    /// <summary>Runs the installed-shape CLI (<c>dotnet buildtrust.dll</c>) through bash, so redirections can close or pipe its streams.</summary>
    private static ProcessResult Shell(string script) =>
        ExternalProcess.Run("bash", ["-c", script], environment: new Dictionary<string, string> { ["BT"] = typeof(CliApp).Assembly.Location }, timeout: Deadline);

    private static void AssertNoStackTrace(string stderr)
    {
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }

    [Fact]
    public void A_policy_that_is_dev_zero_is_refused_while_reading_not_read_to_exhaustion()
    {
        var run = Shell($"exec dotnet \"$BT\" verify-commits --repo '{_repo.Path}' --policy /dev/zero HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("/dev/zero: is a character device, not a regular file", run.StandardError);
        AssertNoStackTrace(run.StandardError);
    }

    [Fact]
    public void A_policy_that_is_a_fifo_is_refused_without_blocking_on_it()
    {
        var fifo = _outside.Combine("policy.fifo");
        ExternalProcess.Run("mkfifo", [fifo]).ThrowOnFailure();

        var run = Shell($"exec dotnet \"$BT\" verify-commits --repo '{_repo.Path}' --policy '{fifo}' HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is a FIFO (named pipe), not a regular file", run.StandardError);
    }

    [Fact]
    public void A_policy_reached_through_a_symlinked_folder_is_refused()
    {
        var linked = _outside.Combine("linked");
        Directory.CreateSymbolicLink(linked, _outside.Combine("policy"));

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--policy", Path.Combine(linked, "release.yaml"), "HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{linked} is a symbolic link", run.Error);
    }

    [Fact]
    public void A_policy_larger_than_the_cap_is_refused_while_reading_even_when_sparse()
    {
        var huge = _outside.Combine("huge.yaml");
        using (var file = File.Create(huge)) file.SetLength(3L << 30);

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--policy", huge, "HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("larger than the 1048576 bytes accepted", run.Error);
    }

    [Fact]
    public void A_closed_stdout_ends_with_one_line_and_exit_3()
    {
        var run = Shell($"exec dotnet \"$BT\" verify-commits --repo '{_repo.Path}' --policy '{_policy}' --json HEAD >&-");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("standard output is closed", run.StandardError);
        AssertNoStackTrace(run.StandardError);
    }

    [Fact]
    public void A_reader_that_goes_away_ends_with_one_line_and_exit_3()
    {
        for (var i = 0; i < 30; i++) _repo.CommitSignedBy(_alice, $"commit {i}");

        var run = Shell($"dotnet \"$BT\" verify-commits --repo '{_repo.Path}' --policy '{_policy}' --json HEAD | true; exit ${{PIPESTATUS[0]}}");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("standard output failed", run.StandardError);
        AssertNoStackTrace(run.StandardError);
    }

    [Fact]
    public void Review_approve_in_a_folder_that_does_not_exist_is_bad_input()
    {
        var run = CliRun.Invoke("review", "approve", "--repo", "/nonexistent", "HEAD");

        Assert.Equal(2, run.ExitCode);
        AssertNoStackTrace(run.Error);
    }

    [Fact]
    public void Audit_of_a_folder_that_does_not_exist_is_bad_input()
    {
        var run = CliRun.Invoke("audit", "--policy", _policy, _outside.Combine("no-release"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a release folder", run.Error);
    }

    public void Dispose()
    {
        _alice.Dispose();
        _repo.Dispose();
        _outside.Dispose();
    }
}
