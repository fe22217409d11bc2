using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BuildTrust.Demo.Policies;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Tools;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// The CI examples under examples/ci, run as a forge would run them (no forge is reachable here): every shell step of the
/// workflow in order, with bash as the runner starts it, the forge's environment variables and the <c>${{ }}</c> values
/// set, the tool on PATH, on a clone of a sample "origin" with a pull request of two commits, one approved and one
/// not. Checked: the gate fails with the pending review annotated and summarised, the JUnit and SARIF reports read back
/// by their ecosystems' tools, and it passes once the approval is pushed.
/// </summary>
public sealed partial class CiExamplesTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new("buildtrust-ci-example-");
    private readonly TestRepository _maintainer = TestRepository.Create();
    private readonly SoftwareFidoAuthenticator _alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
    private readonly SoftwareFidoAuthenticator _bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "bob");
    private readonly string _origin;
    private readonly string _approved;
    private readonly string _pending;

    public CiExamplesTests()
    {
        var root = _maintainer.CommitSignedBy(_alice, "Adopt BuildTrust", file: "policies/release.yaml", content: new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer", "policy-admin"], _alice.PublicKeyLine)
            .Maintainer("bob", ["author", "reviewer"], _bob.PublicKeyLine).Reviews(1).ToYaml());
        var pin = _maintainer.CommitSignedBy(_alice, "Record the trust root", file: ".nuke/parameters.json", content: $$"""{ "TrustRoot": "{{root}}" }""");
        _maintainer.Approve(pin, _bob);
        _origin = _dir.Combine("origin.git");
        ExternalProcess.Run("git", ["init", "-q", "--bare", _origin]).ThrowOnFailure();
        _maintainer.Git("remote", "add", "origin", _origin);
        _maintainer.Git("checkout", "-q", "-b", "feature");
        _approved = _maintainer.CommitSignedBy(_bob, "Add a feature");
        _maintainer.Approve(_approved, _alice);
        _pending = _maintainer.CommitSignedBy(_bob, "Polish the feature");
        _maintainer.Git("push", "-q", "origin", "main", "feature", "refs/notes/buildtrust-reviews");
    }

    private string Workspace(string name)
    {
        var workspace = _dir.Combine(name);
        ExternalProcess.Run("git", ["clone", "-q", "--no-tags", _origin, workspace]).ThrowOnFailure();
        ExternalProcess.Run("git", ["checkout", "-q", "--detach", _pending], workspace).ThrowOnFailure();
        return workspace;
    }

    /// <summary>A folder holding <c>buildtrust</c>: the tool built from this checkout, as the install step would have put it.</summary>
    private string ToolFolder()
    {
        var folder = _dir.Combine("tool");
        Directory.CreateDirectory(folder);
        var wrapper = Path.Combine(folder, "buildtrust");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{CliProcess.DllPath}' \"$@\"\n");
        ExternalProcess.Run("chmod", ["u+x", wrapper]).ThrowOnFailure();
        return folder;
    }

    private sealed record StepRun(string Name, int ExitCode, string Output, string Error);

    /// <summary>Runs shell steps as a runner does: each in a fresh bash with the job's environment; a failed step stops the job.</summary>
    private List<StepRun> RunSteps(IReadOnlyList<(string Name, string Script)> steps, string shell, string workspace, Dictionary<string, string> environment, string? githubPath)
    {
        var runs = new List<StepRun>();
        var path = $"{ToolFolder()}:{Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, script) in steps)
        {
            Assert.DoesNotContain("${{", script);
            var file = _dir.Combine($"step-{runs.Count}.sh");
            File.WriteAllText(file, script);
            var added = githubPath is not null && File.Exists(githubPath) ? string.Join(':', File.ReadAllLines(githubPath).Where(l => l.Length > 0).Reverse()) + ":" : "";
            var env = new Dictionary<string, string>(environment) { ["PATH"] = added + path };
            var run = ExternalProcess.Run("bash", [.. shell.Split(' '), file], workspace, environment: env, timeout: TimeSpan.FromMinutes(3));
            runs.Add(new StepRun(name, run.ExitCode, run.StandardOutput, run.StandardError));
            if (run.ExitCode != 0) break;
        }
        return runs;
    }

    private static YamlMappingNode Load(string relative)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(TestImages.RepositoryRoot, "examples", "ci", relative));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string Scalar(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node).Children[new YamlScalarNode(key)]).Value!;

    /// <summary>The job's env with every <c>${{ expression }}</c> replaced from <paramref name="context"/>; an unknown expression fails the test.</summary>
    private static Dictionary<string, string> JobEnvironment(YamlMappingNode job, string key, IReadOnlyDictionary<string, string> context)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!job.Children.TryGetValue(new YamlScalarNode(key), out var env)) return result;
        foreach (var (name, value) in ((YamlMappingNode)env).Children)
        {
            result[((YamlScalarNode)name).Value!] = Expression().Replace(((YamlScalarNode)value).Value!, m =>
                context.TryGetValue(m.Groups[1].Value.Trim(), out var known) ? known : throw new InvalidOperationException($"unknown expression {m.Value}"));
        }
        return result;
    }

    [GeneratedRegex(@"\$\{\{(.*?)\}\}")]
    private static partial Regex Expression();

    private static List<(string Name, string Script)> GitHubSteps(YamlMappingNode job) =>
        [.. ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey(new YamlScalarNode("run")))
            .Select(s => (Scalar(s, "name"), Scalar(s, "run")))];

    private Dictionary<string, string> GitHubEnvironment(string workspace, string summary, string githubPath, Dictionary<string, string> job)
    {
        var home = _dir.Combine("home");
        Directory.CreateDirectory(home);
        return new Dictionary<string, string>(job)
        {
            ["CI"] = "true", ["GITHUB_ACTIONS"] = "true", ["GITHUB_WORKSPACE"] = workspace, ["GITHUB_STEP_SUMMARY"] = summary, ["GITHUB_PATH"] = githubPath,
            ["GITHUB_EVENT_NAME"] = "pull_request_target", ["HOME"] = home, ["RUNNER_OS"] = "Linux",
        };
    }

    [CiToolsFact]
    public void GitHubPullRequestGate_AnnotatesThePendingReview_WritesSummaryJUnitAndSarif_AndPassesOnceApproved()
    {
        var workflow = Load("github/pull-request.yml");
        Assert.True(workflow.Children.ContainsKey(new YamlScalarNode("on")));
        var job = (YamlMappingNode)((YamlMappingNode)workflow.Children[new YamlScalarNode("jobs")]).Children[new YamlScalarNode("source-gate")];
        var checkout = ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().First();
        Assert.Equal("0", Scalar(checkout.Children[new YamlScalarNode("with")], "fetch-depth"));
        var context = new Dictionary<string, string> { ["github.event.pull_request.base.ref"] = "main", ["github.event.pull_request.head.sha"] = _pending };
        var workspace = Workspace("github");
        var summary = _dir.Combine("github-summary.md");
        var githubPath = _dir.Combine("github-path");
        var environment = GitHubEnvironment(workspace, summary, githubPath, JobEnvironment(job, "env", context));

        var first = RunSteps(GitHubSteps(job), "--noprofile --norc -eo pipefail", workspace, environment, githubPath);

        Assert.Equal(["Install BuildTrust", "Fetch the trusted base and the review approvals", "Source gate"], first.Select(s => s.Name));
        var gate = first[^1];
        Assert.Equal(1, gate.ExitCode);
        var annotations = gate.Error.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"::warning title=Pending review%3A {_pending[..12]}", "::error title=BuildTrust source gate failed"], annotations.Select(a => a[..a.IndexOf("::", 2, StringComparison.Ordinal)]));
        Assert.Contains($"buildtrust review approve {_pending}", annotations[0]);
        Assert.Contains("TrustRoot in .nuke/parameters.json at the trusted ref refs/remotes/origin/main", gate.Error);
        Assert.Contains("## ❌ BuildTrust source gate failed", File.ReadAllText(summary));
        Assert.Contains($"buildtrust review approve {_pending}", File.ReadAllText(summary));
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(workspace, "buildtrust-report.json"))))
            Assert.Equal(1, report.RootElement.GetProperty("summary").GetProperty("pendingReview").GetInt32());
        using (var junit = CiTools.ReadJUnit(Path.Combine(workspace, "buildtrust-junit.xml")))
            Assert.Equal("1", junit.RootElement.GetProperty("testsuites").GetProperty("@failures").GetString());
        Assert.Empty(CiTools.ValidateSarif(Path.Combine(workspace, "buildtrust.sarif")));

        _maintainer.Approve(_pending, _alice);
        _maintainer.Git("push", "-q", "origin", "refs/notes/buildtrust-reviews");
        var second = RunSteps(GitHubSteps(job), "--noprofile --norc -eo pipefail", workspace, environment, githubPath);

        Assert.All(second, s => Assert.True(s.ExitCode == 0, $"{s.Name}: {s.Error}"));
        Assert.True(second[^1].Error.Contains("3 passed, 0 failed, 0 malformed: SOURCE GATE PASSED", StringComparison.Ordinal), second[^1].Error);
        Assert.Contains("::notice title=BuildTrust source gate passed::", second[^1].Error);
        Assert.Contains("## ✅ BuildTrust source gate passed", File.ReadAllText(summary));
    }

    [CiToolsFact]
    public void GitLabMergeRequestGate_WritesTheJUnitReportGitLabShows_AndFailsUntilReviewed()
    {
        var job = (YamlMappingNode)Load("gitlab/.gitlab-ci.yml").Children[new YamlScalarNode("buildtrust-source-gate")];
        Assert.Equal("0", Scalar(job.Children[new YamlScalarNode("variables")], "GIT_DEPTH"));
        Assert.Equal("buildtrust-junit.xml", Scalar(((YamlMappingNode)job.Children[new YamlScalarNode("artifacts")]).Children[new YamlScalarNode("reports")], "junit"));
        var script = string.Join('\n', ((YamlSequenceNode)job.Children[new YamlScalarNode("script")]).Children.Select(l => ((YamlScalarNode)l).Value));
        var workspace = Workspace("gitlab");
        var environment = new Dictionary<string, string>(JobEnvironment(job, "variables", new Dictionary<string, string>()))
        {
            ["CI"] = "true", ["GITLAB_CI"] = "true", ["CI_PIPELINE_SOURCE"] = "merge_request_event", ["CI_PROJECT_DIR"] = workspace,
            ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main", ["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = "feature", ["CI_COMMIT_SHA"] = _pending,
            ["HOME"] = _dir.Combine("home"),
        };

        var failing = RunSteps([("script", script)], "-e", workspace, environment, null).Single();
        _maintainer.Approve(_pending, _alice);
        _maintainer.Git("push", "-q", "origin", "refs/notes/buildtrust-reviews");
        var passing = RunSteps([("script", script)], "-e", workspace, environment, null).Single();

        Assert.Equal(1, failing.ExitCode);
        Assert.Contains($"PENDING {_pending}", failing.Error);
        Assert.DoesNotContain("::warning", failing.Error);
        Assert.True(passing.ExitCode == 0, passing.Error);
        using var junit = CiTools.ReadJUnit(Path.Combine(workspace, "buildtrust-junit.xml"));
        Assert.Equal("0", junit.RootElement.GetProperty("testsuites").GetProperty("@failures").GetString());
    }

    [CiToolsFact]
    public void GitHubReleaseWorkflow_GatesTheCommitsSinceThePreviousTag()
    {
        var job = (YamlMappingNode)((YamlMappingNode)Load("github/release.yml").Children[new YamlScalarNode("jobs")]).Children[new YamlScalarNode("release")];
        _maintainer.Git("checkout", "-q", "main");
        _maintainer.Git("tag", "v1.0");
        _maintainer.Git("merge", "-q", "--ff-only", "feature");
        _maintainer.Approve(_pending, _alice);
        _maintainer.Git("tag", "v1.1");
        _maintainer.Git("push", "-q", "origin", "v1.0", "v1.1", "refs/notes/buildtrust-reviews");
        var workspace = Workspace("release");
        var summary = _dir.Combine("release-summary.md");
        var githubPath = _dir.Combine("release-path");
        var environment = GitHubEnvironment(workspace, summary, githubPath, JobEnvironment(job, "env", new Dictionary<string, string> { ["github.ref_name"] = "v1.1" }));
        var steps = GitHubSteps(job);
        Assert.Equal("Rebuild, compare, sign and audit", steps[^1].Name);

        var runs = RunSteps(steps[..^1], "--noprofile --norc -eo pipefail", workspace, environment, githubPath);

        Assert.All(runs, s => Assert.True(s.ExitCode == 0, $"{s.Name}: {s.Error}"));
        Assert.Contains("3 passed, 0 failed, 0 malformed: SOURCE GATE PASSED", runs[^1].Error); // and the policy change before the range, as policy-history
        Assert.Contains("Source gate: refs/tags/v1.0..refs/tags/v1.1", runs[^1].Error);
        Assert.Contains("## ✅ BuildTrust source gate passed", File.ReadAllText(summary));
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _maintainer.Dispose();
        _dir.Dispose();
    }
}
