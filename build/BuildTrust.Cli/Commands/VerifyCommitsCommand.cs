using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Cli.Rendering.Ci;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust verify-commits</c>: the source gate over a revision range.</summary>
public static class VerifyCommitsCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var policy = new Option<string?>("--policy")
        {
            Description = $"With a trust root: the policy's path inside the repository's commits (default: Policy of --trusted-ref, else {RepositoryParameters.DefaultPolicy}). " +
                          "Without one: a policy file on disk that you vouch for; it must lie outside the repository being verified, or the run cannot pass.",
        };
        var trust = new TrustArguments();
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var junit = new Option<string?>("--junit") { Description = "Also write a JUnit XML report to this file: one test case per commit and check (GitLab, Jenkins and Azure DevOps show it as test results)." };
        var sarif = new Option<string?>("--sarif") { Description = "Also write a SARIF 2.1.0 log to this file: one result per refused commit (GitHub code scanning, Azure DevOps)." };
        var range = new Argument<string>("range") { Description = "Revision range with git's meaning: A..B is every commit reachable from B and not from A; a single revision means its whole history." };
        var command = new Command("verify-commits",
            "The source gate: check that every commit in RANGE is signed by a key of a maintainer with role 'author' " +
            "in the policy, with the hardware evidence the policy requires (FIDO user presence always; user verification if asked). " +
            "When the policy asks for reviews, each commit also needs approvals by other maintainers with role 'reviewer': signed notes under " +
            "refs/notes/buildtrust-reviews (see 'review approve') or a signed merge on the tip's first-parent chain that brought it in. " +
            "The policy's authority comes from outside the range: a trust root (--trust-root, --trusted-ref, $BUILDTRUST_TRUST_ROOT) or a --policy file " +
            "outside the repository; a policy read from the repository being verified is NOT authenticated and the run fails. " +
            "Reports signer, key fingerprint, key type, hardware evidence, reviewers and verdict per commit. " +
            "Exit 0 when every commit passes under an authenticated policy, 1 when any is refused (or malformed) or the policy is not authenticated, " +
            "2 for a malformed policy, an unknown revision or a history git and BuildTrust would see differently (replace refs, grafts, a shallow boundary). " +
            "A commit that lacks only reviews is reported as PENDING review, with the command that fixes it; it still fails the run. " +
            "On GitHub Actions (GITHUB_ACTIONS=true) refused commits are also annotations on stderr, and a Markdown summary is appended to $GITHUB_STEP_SUMMARY.")
        {
            repo, policy, json, junit, sarif, range,
        };
        trust.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(terminal, new VerifyCommitsOptions(parse.GetValue(repo)!, trust.Read(parse, parse.GetValue(policy)), parse.GetValue(range)!, parse.GetValue(json),
                CiOutputs.FromEnvironment(parse.GetValue(junit), parse.GetValue(sarif), Environment.GetEnvironmentVariable)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, VerifyCommitsOptions options, CancellationToken cancellationToken) =>
        SourceGateReportWriter.ExitCodeOf(await VerifyAsync(terminal, options, cancellationToken));

    /// <summary>Runs the gate and renders it; the typed outcome lets <c>release</c> decide without going through an exit code.</summary>
    public static async Task<SourceGateOutcome> VerifyAsync(CliTerminal terminal, VerifyCommitsOptions options, CancellationToken cancellationToken)
    {
        var range = CommitRange.Parse(options.Range);
        var anchor = TrustAnchor.Resolve(options.Repository, options.Trust);
        using var run = SourceGate.Start(options.Repository, range, anchor);
        return await new SourceGateReportWriter(terminal, options.Json, options.Ci).WriteAsync(run.Scope, run.Verdicts(cancellationToken));
    }
}
