using BuildTrust.Verifiers;
using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust build</c>: every builder of the policy, in parallel, each signing its provenance.</summary>
public static class BuildCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var reference = new Option<string>("--ref") { Description = "The revision to build (a tag, branch or commit): its tree is exported, never the working copy.", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder: OUT/<builder>/artifacts/..., build.log and provenance.sigstore.json per builder.", Required = true };
        var policy = new Option<string?>("--policy") { Description = $"The policy file (default: {RepositoryParameters.DefaultPolicy} in the repository's working tree). Building decides nothing: 'sign' re-verifies the provenance under the authenticated policy." };
        var trustedRef = new Option<string?>("--trusted-ref") { Description = $"A revision you trust (such as origin/main) whose committed {RepositoryParameters.RelativePath} supplies BuilderKeys defaults; never read from the working tree." };
        var builders = new Option<string[]>("--builder") { Description = "Run only these builders (repeatable; default: every builder in the policy)." };
        var keys = new Option<string[]>("--builder-key")
        {
            Description = $"ID=KEY: the key builder ID signs its provenance with, a PEM key file or a pkcs11: URI (repeatable; default: BuilderKeys in the {RepositoryParameters.RelativePath} of --trusted-ref). The key never enters the container.",
        };
        var timeout = new Option<int?>("--timeout") { Description = "Minutes a build may run before it is stopped and counted as failed (default: build.limits.time in the policy, else 30)." };
        var command = new Command("build",
            "Build the release on every builder of the policy at once: the tree of --ref is exported (no .git, no working copy) and run through " +
            "build.command in the pinned image, in a container with no network, a read-only root, no capabilities and a non-root user, with each " +
            "builder's variations; build.outputs are collected and hashed, and each builder signs an in-toto/SLSA provenance (DSSE, Sigstore bundle). " +
            "Exit 0 when every builder finished, 1 when a build failed or an image is not the pinned one, 2 for bad input, 3 when an engine is unreachable.")
        {
            repo, reference, output, policy, builders, keys, trustedRef, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new BuildOptions(parse.GetValue(repo)!, parse.GetValue(reference)!, parse.GetValue(output)!,
            parse.GetValue(policy), parse.GetValue(builders) ?? [], parse.GetValue(keys) ?? [], parse.GetValue(trustedRef),
            parse.GetValue(timeout) is { } minutes ? TimeSpan.FromMinutes(minutes) : null), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, BuildOptions options, CancellationToken cancellationToken) =>
        ExitCodeOf(await BuildAsync(terminal, options, cancellationToken));

    /// <summary>Runs the builders and renders their outcome; the typed result lets <c>release</c> decide without going through an exit code.</summary>
    public static async Task<ReleaseBuildResult> BuildAsync(CliTerminal terminal, BuildOptions options, CancellationToken cancellationToken)
    {
        var signers = new Dictionary<string, IDigestSigner>(StringComparer.Ordinal);
        try
        {
            var parameters = options.TrustedRef is null ? RepositoryParameters.None : RepositoryParameters.ReadAt(options.Repository, options.TrustedRef).Parameters;
            var path = options.Policy ?? Path.Combine(options.Repository, RepositoryParameters.DefaultPolicy);
            var policy = PolicyLoader.Load(path);
            var recipe = policy.Build ?? throw new CliInputException($"{path}: the policy has no 'build' section");
            var selected = SelectBuilders(policy, options.Builders, path);
            var keyReferences = KeyReferences(options.BuilderKeys, parameters, selected, options.Repository);
            var limits = options.Timeout is { } given ? recipe.Limits with { Timeout = given } : recipe.Limits;
            if (limits.Problem() is { } problem) throw new CliInputException($"--timeout: {problem}");
            foreach (var builder in selected) signers[builder.Id] = SigningKeys.Open(keyReferences[builder.Id], requireHardware: false);
            var policyDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var request = new ReleaseBuildRequest(recipe, selected, options.Repository, options.Revision, options.Output, signers, limits,
                builder => DockerContainerEngine.Connect(builder.Endpoint!, builder.TlsDirectory is null ? null : Path.Combine(policyDirectory, builder.TlsDirectory)));
            await terminal.Error.WriteLineAsync($"building {options.Revision} with {string.Join(", ", selected.Select(b => b.Id))} in {recipe.Image}");
            var view = new BuildProgressView(terminal, [.. selected.Select(b => b.Id)]);
            var result = await view.ShowWhileAsync(() => ReleaseBuild.RunAsync(request, view, cancellationToken));
            await ReportAsync(terminal, result, options.Output);
            return result;
        }
        finally
        {
            foreach (var signer in signers.Values) signer.Dispose();
        }
    }

    public static int ExitCodeOf(ReleaseBuildResult result) =>
        result.AllFinished ? ExitCodes.Passed
        : result.Builders.Any(b => b.Failure is BuildFailureKind.BuildFailed or BuildFailureKind.ImageMismatch) ? ExitCodes.VerificationFailed
        : ExitCodes.InfrastructureUnavailable;

    internal static async Task ReportAsync(CliTerminal terminal, ReleaseBuildResult result, string output)
    {
        var error = terminal.Error;
        await error.WriteLineAsync($"commit {result.CommitId}");
        foreach (var builder in result.Builders)
        {
            if (builder.Succeeded)
            {
                await error.WriteLineAsync($"  {builder.BuilderId}: finished in {(builder.FinishedOn - builder.StartedOn).TotalSeconds:0.0} s, {builder.Artifacts.Count} artifact(s), provenance {result.ProvenancePaths[builder.BuilderId]}");
                foreach (var artifact in builder.Artifacts) await error.WriteLineAsync($"    {artifact.Sha256}  {artifact.Name}");
            }
            else
            {
                await error.WriteLineAsync($"  {builder.BuilderId}: FAILED ({builder.Failure}): {builder.FailureMessage}");
            }
        }
        if (result.AllFinished) await error.WriteLineAsync($"every builder finished; compare them with: buildtrust compare --policy POLICY {output}");
    }

    private static List<BuilderDefinition> SelectBuilders(ReleasePolicy policy, IReadOnlyList<string> ids, string path)
    {
        if (policy.Builders.Count == 0) throw new CliInputException($"{path}: the policy lists no builders");
        // Federated builders (no endpoint) are run by their own operators with 'rebuild'; their bundles are collected, not built here.
        if (ids.Count == 0)
        {
            var local = policy.Builders.Where(b => b.Endpoint is not null).ToList();
            return local.Count > 0 ? local : throw new CliInputException($"{path}: every builder is federated (no endpoint): they rebuild with 'buildtrust rebuild'");
        }
        var unknown = ids.Where(id => policy.Builders.All(b => b.Id != id)).ToList();
        if (unknown.Count > 0) throw new CliInputException($"--builder {string.Join(", ", unknown)}: not in {path} (builders: {string.Join(", ", policy.Builders.Select(b => b.Id))})");
        var federated = policy.Builders.Where(b => ids.Contains(b.Id, StringComparer.Ordinal) && b.Endpoint is null).Select(b => b.Id).ToList();
        if (federated.Count > 0) throw new CliInputException($"--builder {string.Join(", ", federated)}: federated (no endpoint in {path}); its operator runs 'buildtrust rebuild'");
        return [.. policy.Builders.Where(b => ids.Contains(b.Id, StringComparer.Ordinal))];
    }

    private static Dictionary<string, string> KeyReferences(IReadOnlyList<string> given, RepositoryParameters parameters, List<BuilderDefinition> builders, string repository)
    {
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, key) in parameters.BuilderKeys)
        {
            references[id] = key.StartsWith("pkcs11:", StringComparison.Ordinal) ? key : Path.Combine(repository, key);
        }
        foreach (var item in given)
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new CliInputException($"--builder-key '{item}': expected ID=KEY");
            references[item[..equals]] = item[(equals + 1)..];
        }
        var missing = builders.Where(b => !references.ContainsKey(b.Id)).Select(b => b.Id).ToList();
        if (missing.Count > 0) throw new CliInputException($"no signing key for builder(s) {string.Join(", ", missing)}: give --builder-key ID=KEY (a PEM key file or a pkcs11: URI)");
        return references;
    }
}
