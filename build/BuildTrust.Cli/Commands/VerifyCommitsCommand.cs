using System.CommandLine;
using BuildTrust.Cli.Rendering;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust verify-commits</c>: the source gate over a revision range.</summary>
public static class VerifyCommitsCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var policy = new Option<string?>("--policy")
        {
            Description = $"The policy file (default: 'Policy' in the repository's {RepositoryParameters.RelativePath}, else {RepositoryParameters.DefaultPolicy}). " +
                          "Without --trust-root: a file on disk, trusted as given. With --trust-root: the path of the policy inside the repository's commits.",
        };
        var trustRoot = new Option<string?>("--trust-root")
        {
            Description = $"Authenticate the policy through history: the policy in this commit is trusted as given, and every later commit is judged " +
                          $"by the policy in force at its parents, so policy changes need policy-admin approval (default: 'TrustRoot' in {RepositoryParameters.RelativePath}).",
        };
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var range = new Argument<string>("range") { Description = "Revision range with git's meaning: A..B is every commit reachable from B and not from A; a single revision means its whole history." };
        var command = new Command("verify-commits",
            "The source gate: check that every commit in RANGE is signed by a key of a maintainer with role 'author' " +
            "in the policy, with the hardware evidence the policy requires (FIDO user presence always; user verification if asked). " +
            "When the policy asks for reviews, each commit also needs approvals by other maintainers with role 'reviewer': signed notes under " +
            "refs/notes/buildtrust-reviews (see 'review approve') or a signed merge that brought it in. " +
            "Reports signer, key fingerprint, key type, hardware evidence, reviewers and verdict per commit. " +
            "Exit 0 when every commit passes, 1 when any is refused, 2 for a malformed policy, signature or commit, or an unknown revision.")
        {
            repo, policy, trustRoot, json, range,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, parse.GetValue(repo)!, parse.GetValue(policy), parse.GetValue(trustRoot), parse.GetValue(range)!, parse.GetValue(json), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, string repository, string? policyPath, string? trustRoot, string range, bool json, CancellationToken cancellationToken)
    {
        try
        {
            var parsedRange = CommitRange.Parse(range);
            var parameters = RepositoryParameters.Read(repository);
            trustRoot ??= parameters.TrustRoot;
            var policyInRepository = policyPath ?? parameters.Policy ?? RepositoryParameters.DefaultPolicy;
            using var run = trustRoot is null
                ? SourceGate.Start(repository, parsedRange, PolicyLoader.Load(policyPath ?? Path.Combine(repository, policyInRepository)))
                : SourceGate.StartFromTrustRoot(repository, parsedRange, trustRoot, policyInRepository);
            var summary = await new SourceGateReportWriter(terminal, json).WriteAsync(run.Scope, run.Verdicts(cancellationToken));
            return SourceGateReportWriter.ExitCodeOf(summary.Status);
        }
        catch (Exception e) when (e is PolicyException or CommitRangeException or CliInputException)
        {
            await terminal.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (DllNotFoundException e)
        {
            await terminal.Error.WriteLineAsync($"error: the git library could not be loaded: {e.Message}");
            return ExitCodes.InfrastructureUnavailable;
        }
    }
}
