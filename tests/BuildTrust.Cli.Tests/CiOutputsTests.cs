using System.Text.Json;
using System.Xml.Linq;
using BuildTrust.Cli.Commands;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering.Ci;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// The pull-request gate's CI outputs, each read back by the ecosystem's own tool: GitHub annotations as @actions/core writes
/// them, the job summary, JUnit through junit-report-merger, SARIF through Microsoft's multitool. A range with one commit
/// that passes, one that lacks only its review (pending review, with the command that fixes it) and one unsigned commit
/// whose message tries to break every format.
/// </summary>
public sealed class CiOutputsTests : IDisposable
{
    private const string Hostile = "50% ]]></failure><testcase name=\"x\"/> | `rm` ::error::forged, a:b <script>";
    private readonly TestRepository _repo = TestRepository.Create();
    private readonly TemporaryDirectory _out = new("buildtrust-ci-");
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
    private readonly SoftwareFidoAuthenticator _bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "bob");
    private readonly string _root;
    private readonly string _reviewed;
    private readonly string _pending;
    private readonly string _unsigned;

    public CiOutputsTests()
    {
        _root = _repo.CommitSignedBy(_alice, "Adopt BuildTrust", file: "policies/release.yaml", content: new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer", "policy-admin"], _alice.PublicKeyLine)
            .Maintainer("bob", ["author", "reviewer"], _bob.PublicKeyLine)
            .Reviews(1).ToYaml());
        _reviewed = _repo.CommitSignedBy(_alice, "reviewed change");
        _repo.Approve(_reviewed, _bob);
        _pending = _repo.CommitSignedBy(_bob, "waiting for a review");
        _unsigned = _repo.CommitSignedBy(null, Hostile);
    }

    private (int ExitCode, string Error, string Out) Run(CiOutputs outputs)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var options = new VerifyCommitsOptions(_repo.Path, new TrustOptions(TrustRoot: _root), $"{_root}..HEAD", Json: true, outputs);
        var exitCode = VerifyCommitsCommand.RunAsync(new CliTerminal(stdout, stderr), options, CancellationToken.None).GetAwaiter().GetResult();
        return (exitCode, stderr.ToString(), stdout.ToString());
    }

    [Fact]
    public void VerifyCommits_WhenACommitLacksOnlyItsReview_ReportsItPendingWithTheCommandThatFixesIt_AndStillExitsOne()
    {
        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", _root, "--json", $"{_root}..HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"PENDING {_pending}", run.Error);
        Assert.Contains($"FAIL   {_unsigned}", run.Error);
        Assert.Contains($"buildtrust review approve {_pending}", run.Error);
        Assert.Contains("git push origin refs/notes/buildtrust-reviews", run.Error);
        Assert.DoesNotContain($"buildtrust review approve {_unsigned}", run.Error);
        Assert.Contains("1 passed, 2 failed (1 pending review), 0 malformed", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var commits = json.RootElement.GetProperty("commits").EnumerateArray().ToDictionary(c => c.GetProperty("commitId").GetString()!);
        Assert.True(commits[_pending].GetProperty("pendingReview").GetBoolean());
        Assert.False(commits[_unsigned].GetProperty("pendingReview").GetBoolean());
        Assert.False(commits[_reviewed].GetProperty("pendingReview").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("pendingReview").GetInt32());
    }

    [Fact]
    public void VerifyCommits_WhenAReviewIsMissingAndTheSignatureFails_IsAViolationNotPendingReview()
    {
        var mallory = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "mallory");
        var unknown = _repo.CommitSignedBy(mallory, "unknown key and no review");

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", _root, $"{_pending}..HEAD");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"FAIL   {unknown}", run.Error);
        Assert.DoesNotContain("PENDING", run.Error);
    }

    [CiToolsFact]
    public void GitHubAnnotations_AreWhatGitHubsToolkitWrites_AndACommitMessageCannotForgeOne()
    {
        var run = Run(new CiOutputs(GitHubAnnotations: true));

        var commands = run.Error.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, commands.Count);
        Assert.StartsWith("::warning title=Pending review%3A ", commands.Single(c => c.Contains(_pending, StringComparison.Ordinal)));
        Assert.StartsWith("::error title=BuildTrust signature.present%3A ", commands.Single(c => c.Contains(_unsigned, StringComparison.Ordinal)));
        Assert.StartsWith("::error title=BuildTrust source gate failed::", commands[^1]);
        Assert.DoesNotContain(commands, c => c.StartsWith("::error::forged", StringComparison.Ordinal));
        foreach (var command in commands)
        {
            var kind = command[2..command.IndexOf(' ', StringComparison.Ordinal)];
            var title = Unescape(command[(command.IndexOf("title=", StringComparison.Ordinal) + 6)..command.IndexOf("::", 2, StringComparison.Ordinal)]);
            var message = Unescape(command[(command.IndexOf("::", 2, StringComparison.Ordinal) + 2)..]);
            Assert.Equal(CiTools.Annotation(kind, title, message), command);
        }
        Assert.Contains($"buildtrust review approve {_pending}", Unescape(commands.Single(c => c.Contains(_pending, StringComparison.Ordinal))));
    }

    [Fact]
    public void GitHubStepSummary_IsAppendedAsMarkdown_WithViolationsApartFromPendingReviews()
    {
        var summary = _out.Combine("step-summary.md");
        File.WriteAllText(summary, "earlier step\n");

        Run(new CiOutputs(GitHubStepSummary: summary));

        var markdown = File.ReadAllText(summary);
        Assert.StartsWith("earlier step\n## ❌ BuildTrust source gate failed", markdown);
        Assert.Contains("| 1 | 2 | 1 | 0 |", markdown);
        Assert.Contains("### Commits that violate the policy", markdown);
        Assert.Contains($"| `{_unsigned[..12]}` |", markdown);
        Assert.Contains(@"50% \]\]\>\</failure\>\<testcase name=""x""/\> \| \`rm\` ::error::forged, a:b \<script\>", markdown);
        Assert.Contains("### Pending review", markdown);
        Assert.Contains($"buildtrust review approve {_pending}", markdown);
        Assert.DoesNotContain($"buildtrust review approve {_unsigned}", markdown);
        Assert.Contains("git push origin refs/notes/buildtrust-reviews", markdown);
    }

    [CiToolsFact]
    public void JUnit_HasOneTestCasePerCommitAndCheck_AndJUnitReportMergerReadsItIntact()
    {
        var report = _out.Combine("junit.xml");

        var run = Run(new CiOutputs(JUnit: report));

        using var json = JsonDocument.Parse(run.Out);
        var checks = json.RootElement.GetProperty("commits").EnumerateArray().Sum(c => c.GetProperty("checks").GetArrayLength());
        var xml = XDocument.Load(report);
        var cases = xml.Descendants("testcase").ToList();
        Assert.Equal(checks, cases.Count);
        Assert.Equal(checks.ToString(System.Globalization.CultureInfo.InvariantCulture), xml.Root!.Attribute("tests")!.Value);
        Assert.Equal("2", xml.Root.Attribute("failures")!.Value);
        var pending = cases.Single(c => c.Attribute("classname")!.Value == _pending && c.Attribute("name")!.Value == "reviews").Element("failure")!;
        Assert.Equal("pending-review", pending.Attribute("type")!.Value);
        Assert.Contains($"buildtrust review approve {_pending}", pending.Value);
        Assert.Equal("policy-violation", cases.Single(c => c.Attribute("classname")!.Value == _unsigned).Element("failure")!.Attribute("type")!.Value);
        Assert.Contains(Hostile, cases.Single(c => c.Attribute("classname")!.Value == _unsigned).Element("system-out")!.Value);
        Assert.False(File.Exists(report + ".partial"));

        using var merged = CiTools.ReadJUnit(report);
        var suites = merged.RootElement.GetProperty("testsuites");
        Assert.Equal(checks.ToString(System.Globalization.CultureInfo.InvariantCulture), suites.GetProperty("@tests").GetString());
        Assert.Equal("2", suites.GetProperty("@failures").GetString());
    }

    [CiToolsFact]
    public void Sarif_ValidatesWithMicrosoftsMultitool_WithOneResultPerRefusedCommit()
    {
        var log = _out.Combine("gate.sarif");

        Run(new CiOutputs(Sarif: log));

        Assert.Empty(CiTools.ValidateSarif(log));
        using var sarif = JsonDocument.Parse(File.ReadAllBytes(log));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        var pending = results.Single(r => r.GetProperty("properties").GetProperty("commitId").GetString() == _pending);
        Assert.Equal("warning", pending.GetProperty("level").GetString());
        Assert.Equal("reviews", pending.GetProperty("ruleId").GetString());
        Assert.Equal($"buildtrust review approve {_pending}", pending.GetProperty("properties").GetProperty("fix")[0].GetString());
        var unsigned = results.Single(r => r.GetProperty("properties").GetProperty("commitId").GetString() == _unsigned);
        Assert.Equal("error", unsigned.GetProperty("level").GetString());
        Assert.Equal("signature.present", unsigned.GetProperty("ruleId").GetString());
        Assert.Contains(Hostile, unsigned.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal(1, run.GetProperty("invocations")[0].GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public void CiReports_WhenTheRunCannotStart_AreNotWritten()
    {
        var report = _out.Combine("junit.xml");
        var log = _out.Combine("gate.sarif");

        var run = CliRun.Invoke("verify-commits", "--repo", _repo.Path, "--trust-root", _root, "--junit", report, "--sarif", log, "no-such-rev..HEAD");

        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(report));
        Assert.False(File.Exists(log));
        Assert.Empty(Directory.GetFiles(_out.Path));
    }

    private static string Unescape(string value) =>
        value.Replace("%2C", ",", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal).Replace("%0A", "\n", StringComparison.Ordinal)
            .Replace("%0D", "\r", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _out.Dispose();
        _repo.Dispose();
    }
}
