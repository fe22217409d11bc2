using System.CommandLine;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust release</c>: source gate, builders, compare, sign, in that order; stops at the first failing gate.</summary>
public static class ReleaseCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var reference = new Option<string>("--ref") { Description = "The tag (or revision) to release.", Required = true };
        var output = new Option<string>("--out") { Description = "The release directory (builder outputs, then the signed release).", Required = true };
        var policy = new Option<string?>("--policy") { Description = $"The policy file (default: 'Policy' in {RepositoryParameters.RelativePath}, else {RepositoryParameters.DefaultPolicy}, in the repository)." };
        var trustRoot = new Option<string?>("--trust-root") { Description = $"Authenticate the policy through history from this commit (default: 'TrustRoot' in {RepositoryParameters.RelativePath})." };
        var builderKeys = new Option<string[]>("--builder-key") { Description = "ID=KEY for each builder's provenance key (see 'build')." };
        var releaseKey = new Option<string?>("--release-key") { Description = "The release key (see 'sign')." };
        var command = new Command("release",
            "Cut a release: the source gate over the commits up to --ref, every builder, compare (quorum), then sign, in that order with progress. " +
            "Stops at the first failing gate with its verdict and exit 1; then nothing is signed. Exit codes as the individual commands.")
        {
            repo, reference, output, policy, trustRoot, builderKeys, releaseKey,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, parse.GetValue(repo)!, parse.GetValue(reference)!, parse.GetValue(output)!,
            parse.GetValue(policy), parse.GetValue(trustRoot), parse.GetValue(builderKeys) ?? [], parse.GetValue(releaseKey), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, string repository, string reference, string output, string? policyPath, string? trustRoot,
        string[] builderKeys, string? releaseKey, CancellationToken cancellationToken)
    {
        RepositoryParameters parameters;
        try
        {
            parameters = RepositoryParameters.Read(repository);
        }
        catch (CliInputException e)
        {
            await terminal.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        trustRoot ??= parameters.TrustRoot;
        var policy = policyPath ?? Path.Combine(repository, parameters.Policy ?? RepositoryParameters.DefaultPolicy);
        var range = trustRoot is null ? reference : $"{trustRoot}..{reference}";

        await terminal.Error.WriteLineAsync($"== 1/4 source gate: {range}");
        var gate = await VerifyCommitsCommand.RunAsync(terminal, repository, trustRoot is null ? policy : policyPath, trustRoot, range, json: false, cancellationToken);
        if (gate != ExitCodes.Passed) return Stop(terminal, "source gate", gate);

        await terminal.Error.WriteLineAsync("== 2/4 builders");
        var build = await BuildCommand.RunAsync(terminal, repository, reference, output, policy, [], builderKeys, null, cancellationToken);
        if (build != ExitCodes.Passed) return Stop(terminal, "builders", build);

        await terminal.Error.WriteLineAsync("== 3/4 compare");
        var compare = await CompareCommand.RunAsync(terminal, policy, output, json: false);
        if (compare != ExitCodes.Passed) return Stop(terminal, "compare", compare);

        await terminal.Error.WriteLineAsync("== 4/4 sign");
        var sign = await SignCommand.RunAsync(terminal, policy, output, repository, trustRoot, releaseKey, cancellationToken);
        if (sign != ExitCodes.Passed) return Stop(terminal, "sign", sign);
        await terminal.Error.WriteLineAsync($"RELEASED {reference} into {output}; verify it with: buildtrust audit {output} --repo {repository}");
        return ExitCodes.Passed;
    }

    private static int Stop(CliTerminal terminal, string gate, int exitCode)
    {
        terminal.Error.WriteLine($"RELEASE STOPPED at {gate} (exit {exitCode}): nothing was signed");
        return exitCode;
    }
}
