using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust rebuild</c>: one federated builder rebuilds a release on its own engine and signs its provenance.</summary>
public static class RebuildCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The repository to rebuild: a local folder or a URL to clone (https, ssh, git, file).", Required = true };
        var reference = new Option<string>("--ref") { Description = "The tag (or revision) to rebuild.", Required = true };
        var builder = new Option<string>("--builder") { Description = "Your builder id in the release's policy.", Required = true };
        var key = new Option<string>("--builder-key") { Description = "Your provenance key (PEM file or pkcs11: URI); its public half must be your builder's key in the policy.", Required = true };
        var endpoint = new Option<string?>("--endpoint") { Description = "Your engine (unix:///path.sock, or tcp://host:port with --tls); default: the policy's endpoint for your builder." };
        var tls = new Option<string?>("--tls") { Description = "Client certificate folder (ca.pem, cert.pem, key.pem) for a tcp:// engine." };
        var policy = new Option<string?>("--policy") { Description = $"A policy file to take the recipe from (default: {RepositoryParameters.DefaultPolicy} as committed at --ref)." };
        var output = new Option<string>("--out") { Description = "Output folder: OUT/<builder>/artifacts/..., build.log and provenance.sigstore.json.", Required = true };
        var timeout = new Option<int?>("--timeout") { Description = "Minutes the build may run (default: build.limits.time)." };
        var command = new Command("rebuild",
            "Rebuild a release as one federated builder: on your own engine, with your own key, the recipe of the release's policy. Writes and signs " +
            "OUT/<builder>/provenance.sigstore.json; publish it to the release's sigs repository as <commit>/<builder>/provenance.sigstore.json in a " +
            "commit you sign with the same key (git -c gpg.format=ssh -c user.signingkey=KEY commit -S), or hand it over as a file: compare, sign, " +
            "release and audit collect it with --sigs or --bundles and verify it against your key in the policy. Exit codes as 'build'.")
        {
            repo, reference, builder, key, endpoint, tls, policy, output, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new RebuildOptions(parse.GetValue(repo)!, parse.GetValue(reference)!, parse.GetValue(builder)!,
            parse.GetValue(key)!, parse.GetValue(endpoint), parse.GetValue(tls), parse.GetValue(policy), parse.GetValue(output)!,
            parse.GetValue(timeout) is { } minutes ? TimeSpan.FromMinutes(minutes) : null), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, RebuildOptions options, CancellationToken cancellationToken)
    {
        Uri? endpoint = null;
        if (options.Endpoint is { } given && (!Uri.TryCreate(given, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("unix" or "tcp")))
            throw new CliInputException($"--endpoint '{given}': not an engine endpoint (unix:///path.sock or tcp://host:port)");
        using var signer = SigningKeys.Open(options.BuilderKey, requireHardware: false);
        var view = new BuildProgressView(terminal, [options.BuilderId]);
        var result = await view.ShowWhileAsync(() => FederatedRebuild.RunAsync(new FederatedRebuild.Request(options.Repository, options.Reference, options.BuilderId, signer,
            endpoint, options.Tls, options.Policy, RepositoryParameters.DefaultPolicy, options.Output, options.Timeout), view, cancellationToken));
        await BuildCommand.ReportAsync(terminal, result, options.Output);
        if (result.ProvenancePaths.TryGetValue(options.BuilderId, out var bundle))
        {
            await terminal.Error.WriteLineAsync($"publish it: copy {bundle} to <sigs repository>/{result.CommitId}/{options.BuilderId}/provenance.sigstore.json and commit it signed with your key");
        }
        return BuildCommand.ExitCodeOf(result);
    }
}
