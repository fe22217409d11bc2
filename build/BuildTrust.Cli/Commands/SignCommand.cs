using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Pipeline.Release;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust sign</c>: gated signing of a compared build with the release key.</summary>
public static class SignCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var policy = new Option<string?>("--policy")
        {
            Description = $"With a trust root: the policy's path inside the repository (default: Policy of --trusted-ref, else {RepositoryParameters.DefaultPolicy}); " +
                          "it is read from the built commit and authenticated through history. Without one: a policy file outside the repository that you vouch for.",
        };
        var repo = new Option<string>("--repo") { Description = "The repository, to re-verify the source gate over the built commit (default: the current directory).", DefaultValueFactory = _ => "." };
        var trust = new TrustArguments();
        var key = new Option<string?>("--release-key") { Description = "The release key: a pkcs11: URI (or a PEM file when release.signing-key-hardware is optional). Default: ReleaseKey of --trusted-ref, else release.signing-key." };
        var directory = new Argument<string>("dir") { Description = "The output folder of 'buildtrust build'; the signed release is written into it." };
        var command = new Command("sign",
            "Sign a release, only if it deserves it. Needs an authenticated policy (a trust root, or a --policy file outside the repository). " +
            "Re-verifies everything itself (never a flag or a file saying it passed): the builders' provenance " +
            "and release.quorum from DIR, and the source gate over the built commit in --repo. Then, with the policy's release key (its public half must be " +
            "release.public-key), writes next to the artifacts: <artifact>.sigstore.json for each, SHA256SUMS, release.sigstore.json (SLSA VSA binding " +
            "commit, policy, provenance and artifacts), source.sigstore.json, provenance/, policy.yaml, policy/ and release.pub, all at once: " +
            "when a gate fails or anything goes wrong (disk full, token gone, interrupted), nothing is written. " +
            "Exit 0 signed, 1 a gate failed, 2 bad input, 3 token or module unavailable, or interrupted.")
        {
            policy, repo, key, directory,
        };
        trust.AddTo(command);
        var origins = new OriginArguments();
        origins.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new SignOptions(parse.GetValue(directory)!, parse.GetValue(repo)!,
            trust.Read(parse, parse.GetValue(policy)), parse.GetValue(key), origins.Read(parse)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, SignOptions options, CancellationToken cancellationToken) =>
        ExitCodeOf(await SignAsync(terminal, options, cancellationToken));

    /// <summary>Decides and signs, rendering the outcome; the typed result lets <c>release</c> decide without going through an exit code.</summary>
    public static async Task<SignOutcome> SignAsync(CliTerminal terminal, SignOptions options, CancellationToken cancellationToken)
    {
        var anchor = TrustAnchor.Resolve(options.Repository, options.Trust);
        await terminal.Error.WriteLineAsync($"sign: policy {anchor.Origin}");
        SignOutcome outcome;
        try
        {
            outcome = await Task.Run(() => ReleaseSigner.VerifyAndSign(new ReleaseSigner.Request(options.Directory, options.Repository, anchor, options.ReleaseKey, options.Origins),
                step => terminal.Error.WriteLine($"sign: {step}"), cancellationToken), cancellationToken);
        }
        catch (Exception)
        {
            await terminal.Error.WriteLineAsync("NOT SIGNED: nothing was written");
            throw;
        }
        if (!outcome.Signed)
        {
            foreach (var reason in outcome.Reasons) await terminal.Error.WriteLineAsync($"REFUSED {reason}");
            await terminal.Error.WriteLineAsync("NOT SIGNED: nothing was written");
        }
        else
        {
            await terminal.Error.WriteLineAsync($"SIGNED release of {outcome.Commit} in {options.Directory}: {outcome.Written.Count} files written");
        }
        return outcome;
    }

    public static int ExitCodeOf(SignOutcome outcome) =>
        outcome.Signed ? ExitCodes.Passed : outcome.MalformedInput ? ExitCodes.BadInput : ExitCodes.VerificationFailed;
}
