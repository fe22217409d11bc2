using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Verifiers.Git;
using BuildTrust.Verifiers.Release;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// <c>buildtrust release</c>: source gate, builders, compare, sign, in that order; each step's typed result decides whether
/// the next runs, and the first that does not pass stops the release with its own exit code.
/// </summary>
public static class ReleaseCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var reference = new Option<string>("--ref") { Description = "The tag (or revision) to release.", Required = true };
        var output = new Option<string>("--out") { Description = "The release directory (builder outputs, then the signed release).", Required = true };
        var policy = new Option<string?>("--policy")
        {
            Description = $"With a trust root: the policy's path inside the repository (default: Policy of --trusted-ref, else {RepositoryParameters.DefaultPolicy}). " +
                          "Without one: a policy file outside the repository that you vouch for.",
        };
        var trust = new TrustArguments();
        var builderKeys = new Option<string[]>("--builder-key") { Description = "ID=KEY for each builder's provenance key (see 'build')." };
        var releaseKey = new Option<string?>("--release-key") { Description = "The release key (see 'sign')." };
        var command = new Command("release",
            "Cut a release: the source gate over the commits up to --ref, every builder, compare (quorum), then sign, in that order with progress. " +
            "Needs an authenticated policy (a trust root, or a --policy file outside the repository). " +
            "Stops at the first failing gate with its verdict and exit 1; then nothing is signed. Exit codes as the individual commands.")
        {
            repo, reference, output, policy, builderKeys, releaseKey,
        };
        trust.AddTo(command);
        var builders = new Option<string[]>("--builder") { Description = "The builders to run here (repeatable; default: every builder with an endpoint). Federated builders' bundles come from --bundles or --sigs." };
        command.Options.Add(builders);
        var origins = new OriginArguments();
        origins.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new ReleaseOptions(parse.GetValue(repo)!, parse.GetValue(reference)!, parse.GetValue(output)!,
            trust.Read(parse, parse.GetValue(policy)), parse.GetValue(builderKeys) ?? [], parse.GetValue(releaseKey), parse.GetValue(builders) ?? [], origins.Read(parse)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, ReleaseOptions options, CancellationToken cancellationToken)
    {
        var anchor = TrustAnchor.Resolve(options.Repository, options.Trust);
        if (!anchor.Authenticated) throw new TrustAnchorException($"a release needs an authenticated policy ({anchor.Origin}): {TrustAnchor.Remedy}");
        var range = anchor.TrustRoot is null ? options.Reference : $"{anchor.TrustRoot}..{options.Reference}";
        // Builders and compare read the policy as a file; sign then re-verifies everything under the authenticated policy itself.
        var policyFile = anchor.TrustRoot is null ? anchor.PolicyPath : Path.Combine(WorkTree(options.Repository), anchor.PolicyPath);

        await terminal.Error.WriteLineAsync($"== 1/4 source gate: {range}");
        var gate = await VerifyCommitsCommand.VerifyAsync(terminal, new VerifyCommitsOptions(options.Repository, options.Trust, range, Json: false), cancellationToken);
        if (!gate.Passed) return Stop(terminal, "source gate", Rendering.SourceGateReportWriter.ExitCodeOf(gate));

        await terminal.Error.WriteLineAsync("== 2/4 builders");
        var build = await BuildCommand.BuildAsync(terminal,
            new BuildOptions(options.Repository, options.Reference, options.Output, policyFile, options.Builders ?? [], options.BuilderKeys, options.Trust.TrustedRef, Timeout: null), cancellationToken);
        if (!build.AllFinished) return Stop(terminal, "builders", BuildCommand.ExitCodeOf(build));

        await terminal.Error.WriteLineAsync("== 3/4 compare");
        // Federated builders' bundles are read for the commit being released.
        var origins = (options.Origins ?? ProvenanceOrigins.None) with { CommitHint = build.CommitId };
        var compare = await CompareCommand.CompareAsync(terminal, new CompareOptions(policyFile, options.Output, Json: false, origins));
        if (!compare.Passed) return Stop(terminal, "compare", CompareCommand.ExitCodeOf(compare));

        await terminal.Error.WriteLineAsync("== 4/4 sign");
        var sign = await SignCommand.SignAsync(terminal, new SignOptions(options.Output, options.Repository, options.Trust, options.ReleaseKey, origins), cancellationToken);
        if (!sign.Signed) return Stop(terminal, "sign", SignCommand.ExitCodeOf(sign));
        await terminal.Error.WriteLineAsync($"RELEASED {options.Reference} into {options.Output}; verify it with: buildtrust audit {options.Output} --repo {options.Repository} --trust-root <the trust root>");
        return ExitCodes.Passed;
    }

    private static string WorkTree(string repository)
    {
        using var source = GitCommitSource.Open(repository);
        return source.WorkDirectory ?? throw new CliInputException($"{repository}: a bare repository has no working tree to build from");
    }

    private static int Stop(CliTerminal terminal, string gate, int exitCode)
    {
        terminal.Error.WriteLine($"RELEASE STOPPED at {gate} (exit {exitCode}): nothing was signed");
        return exitCode;
    }
}
