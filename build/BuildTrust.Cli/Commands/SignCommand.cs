using System.CommandLine;
using BuildTrust.Pipeline.Release;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust sign</c>: gated signing of a compared build with the release key.</summary>
public static class SignCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var policy = new Option<string>("--policy") { Description = "The policy file (builders, build, release).", Required = true };
        var repo = new Option<string>("--repo") { Description = "The repository, to re-verify the source gate over the built commit (default: the current directory).", DefaultValueFactory = _ => "." };
        var trustRoot = new Option<string?>("--trust-root") { Description = $"Verify commits from this trust root to the built commit, by the repository's own policy (default: 'TrustRoot' in {RepositoryParameters.RelativePath}; without one: the whole history by --policy)." };
        var key = new Option<string?>("--release-key") { Description = $"The release key: a pkcs11: URI (or a PEM file when release.signing-key-hardware is optional). Default: 'ReleaseKey' in {RepositoryParameters.RelativePath}, else release.signing-key." };
        var directory = new Argument<string>("dir") { Description = "The output folder of 'buildtrust build'; the signed release is written into it." };
        var command = new Command("sign",
            "Sign a release, only if it deserves it. Re-verifies everything itself (never a flag or a file saying it passed): the builders' provenance " +
            "and release.quorum from DIR, and the source gate over the built commit in --repo. Then, with the policy's release key (its public half must be " +
            "release.public-key), writes next to the artifacts: <artifact>.sigstore.json for each, SHA256SUMS, release.sigstore.json (SLSA VSA binding " +
            "commit, policy, provenance and artifacts), source.sigstore.json, provenance/, policy.yaml and release.pub. Nothing is written when a gate fails. " +
            "Exit 0 signed, 1 a gate failed, 2 bad input, 3 token or module unavailable.")
        {
            policy, repo, trustRoot, key, directory,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, parse.GetValue(policy)!, parse.GetValue(directory)!, parse.GetValue(repo)!,
            parse.GetValue(trustRoot), parse.GetValue(key), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, string policyPath, string directory, string repository, string? trustRoot, string? key, CancellationToken cancellationToken)
    {
        try
        {
            var parameters = RepositoryParameters.Read(repository);
            trustRoot ??= parameters.TrustRoot;
            var reference = key ?? parameters.ReleaseKey ?? PolicyLoader.Load(policyPath).Release?.SigningKey
                ?? throw new CliInputException($"{policyPath}: no release section, so no release key");
            var outcome = await Task.Run(() => ReleaseSigner.VerifyAndSign(
                new ReleaseSigner.Request(policyPath, directory, repository, trustRoot, parameters.Policy, reference),
                step => terminal.Error.WriteLine($"sign: {step}"), cancellationToken), cancellationToken);
            if (!outcome.Signed)
            {
                foreach (var reason in outcome.Reasons) await terminal.Error.WriteLineAsync($"REFUSED {reason}");
                await terminal.Error.WriteLineAsync("NOT SIGNED: nothing was written");
                return outcome.MalformedInput ? ExitCodes.BadInput : ExitCodes.VerificationFailed;
            }
            await terminal.Error.WriteLineAsync($"SIGNED release of {outcome.Commit} in {directory}: {outcome.Written.Count} files written");
            return ExitCodes.Passed;
        }
        catch (SigningKeyException e)
        {
            await terminal.Error.WriteLineAsync($"error: {e.Message}\nNOT SIGNED: nothing was written");
            return e.Kind == SigningKeyErrorKind.Unavailable ? ExitCodes.InfrastructureUnavailable : ExitCodes.BadInput;
        }
        catch (Exception e) when (e is PolicyException or CliInputException or CommitRangeException or IOException or LibGit2Sharp.LibGit2SharpException)
        {
            await terminal.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
