using System.CommandLine;
using BuildTrust.Explain;
using BuildTrust.Explain.Bisection;
using BuildTrust.Explain.Comparison;
using BuildTrust.Explain.Reports;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust explain</c>: why builders disagree, ranked causes with their evidence; optionally bisects variations or commits.</summary>
public static class ExplainCommand
{
    public const string HtmlFileName = "explain.html";

    public static Command Create(CliTerminal terminal)
    {
        var directory = new Argument<string>("dir") { Description = "The output folder of 'buildtrust build' (DIR/<builder>/artifacts, provenance.sigstore.json); for --bisect, where the probe builds go." };
        var policy = new Option<string?>("--policy") { Description = "Verify the provenance against this policy's builder keys first (without it, the builders' claims are read unverified, and said so). Needed by the bisections (recipe, builders)." };
        var repo = new Option<string>("--repo") { Description = "The git repository (bisections; default: the current directory).", DefaultValueFactory = _ => "." };
        var json = new Option<bool>("--json") { Description = "Write the explanation as JSON to stdout." };
        var html = new Option<string?>("--html") { Description = $"Where to write the self-contained HTML report (default DIR/{HtmlFileName})." };
        var bisectVariations = new Option<bool>("--bisect-variations") { Description = "Rebuild on the failing builder's engine with each of its variations alone (and once with none), and name the variations that reproduce the mismatch." };
        var bisect = new Option<string?>("--bisect") { Description = "GOOD..BAD: find the first commit on the first-parent history whose build by the policy's builders is no longer reproducible, and explain it." };
        var builder = new Option<string?>("--builder") { Description = "--bisect-variations: the builder whose variations are tried (default: the first one that differs from the reference); --bisect: the first of two builders (repeat for the second)." };
        var endpoint = new Option<string?>("--endpoint") { Description = "--bisect-variations: the engine to rebuild on (default: the builder's own)." };
        var maxFile = new Option<long>("--max-file-mib") { Description = "Artifacts or unpacked members larger than this are compared by digest only (default 256).", DefaultValueFactory = _ => 256 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds the comparison may take; past it, what remains is listed as skipped (default 120).", DefaultValueFactory = _ => 120 };
        var command = new Command("explain",
            "Explain why builders disagree: each differing artifact is compared with the reference builder's, format by format (tar, gzip, zip/.nupkg/.jar, " +
            "ar/.deb, ELF with DWARF, .NET PE/PDB, text), and the differences are turned into ranked causes that say what to fix (build path, host name, " +
            "build time, time zone, locale, umask, uid/gid, file order, non-deterministic compilation), tied to the builders' variations. Writes a text " +
            "report (stderr), --json (stdout) and an HTML report. Exit 0 when the builders agree, 1 when they differ, 2 for bad input, 3 when an engine is unavailable.")
        {
            directory, policy, repo, json, html, bisectVariations, bisect, builder, endpoint, maxFile, timeout,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new ExplainOptions(parse.GetValue(directory)!, parse.GetValue(policy), parse.GetValue(repo)!,
            parse.GetValue(json), parse.GetValue(html), parse.GetValue(bisectVariations), parse.GetValue(bisect), parse.GetValue(builder), parse.GetValue(endpoint),
            parse.GetValue(maxFile), parse.GetValue(timeout)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, ExplainOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = ExplainLimits.Default with { MaxFileBytes = options.MaxFileMiB << 20, Time = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        if (options.MaxFileMiB is < 1 or > 2047 || limits.Problem() is not null) throw new CliInputException($"--max-file-mib and --timeout: {limits.Problem() ?? "between 1 and 2047 MiB"}");
        var policy = options.PolicyPath is null ? null : PolicyLoader.Load(options.PolicyPath);
        if (options.BisectVariations && options.BisectRange is not null) throw new CliInputException("--bisect-variations and --bisect: one at a time");
        // The bisections drive Docker engines, which only the JIT build reaches: the native executable hands them over (JitCommands.Handle).
        if (options.BisectRange is not null)
            return JitCommands.Included ? await BisectCommitsAsync(terminal, options, policy, limits, cancellationToken) : throw BisectionsRunInTheJitBuild();
        var explanation = BuildFolderExplainer.Explain(options.Directory, policy, limits);
        if (options.BisectVariations)
            return JitCommands.Included ? await BisectVariationsAsync(terminal, options, policy, explanation, limits, cancellationToken) : throw BisectionsRunInTheJitBuild();
        return await RenderAsync(terminal, explanation, options.Json, options.Html ?? Path.Combine(options.Directory, HtmlFileName));
    }

    private static InvalidOperationException BisectionsRunInTheJitBuild() => new("explain --bisect and --bisect-variations run in the framework-dependent build");

    /// <summary>Renders an explanation: text on stderr, JSON on stdout when asked, the HTML report to <paramref name="htmlPath"/>.</summary>
    public static async Task<int> RenderAsync(CliTerminal terminal, Explanation explanation, bool json, string? htmlPath)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(explanation);
        await ExplanationText.WriteAsync(terminal.Error, explanation);
        if (htmlPath is not null)
        {
            WriteNew(htmlPath, ExplanationHtml.Render(explanation));
            await terminal.Error.WriteLineAsync($"HTML report: {htmlPath}");
        }
        if (json) await terminal.Out.WriteLineAsync(ExplanationJson.Serialize(explanation));
        return explanation.NoDifference ? ExitCodes.Passed : ExitCodes.VerificationFailed;
    }

    private static async Task<int> BisectVariationsAsync(CliTerminal terminal, ExplainOptions options, ReleasePolicy? policy, Explanation explanation, ExplainLimits limits,
        CancellationToken cancellationToken)
    {
        var recipe = policy?.Build ?? throw new CliInputException("--bisect-variations needs --policy with a 'build' section");
        var failing = options.Builder ?? explanation.Artifacts.FirstOrDefault()?.Builder
            ?? throw new CliInputException("--bisect-variations: the builders agree, there is no mismatch to bisect");
        var builder = policy.Builders.FirstOrDefault(b => b.Id == failing) ?? throw new CliInputException($"--builder {failing}: not a builder of {options.PolicyPath}");
        if (options.Endpoint is { } endpoint) builder = builder with { Endpoint = DockerEndpoint(endpoint), TlsDirectory = null };
        var commit = explanation.Builders.Count > 0 ? CommitOf(options.Directory) : null;
        if (commit is null) throw new CliInputException($"{options.Directory}: no provenance names the built commit");
        await terminal.Error.WriteLineAsync($"bisecting the variations of {builder.Id} ({string.Join(", ", VariationPlan.For(builder).Applied)}) on {builder.Endpoint}, commit {commit[..12]}");
        var output = Path.Combine(options.Directory, ".bisect-variations");
        var result = await VariationBisector.RunAsync(recipe, builder, options.Repository, commit, output, recipe.Limits, limits, Connector(options.PolicyPath!),
            new PhaseLines(terminal.Error), cancellationToken);
        foreach (var trial in result.Trials)
            await terminal.Error.WriteLineAsync($"variation {trial.Variation,-12} {(trial.ReproducesMismatch ? $"REPRODUCES the mismatch ({string.Join(", ", trial.DifferingArtifacts)})" : "no difference")}");
        await terminal.Error.WriteLineAsync(result.Culprits.Count == 0
            ? "no single variation reproduces the mismatch (a combination, or something outside the variations: randomness, parallelism)"
            : $"culprit variation(s): {string.Join(", ", result.Culprits)}");
        var code = await RenderAsync(terminal, result.Explanation, options.Json, options.Html ?? Path.Combine(options.Directory, HtmlFileName));
        return result.Culprits.Count > 0 || code != 0 ? ExitCodes.VerificationFailed : ExitCodes.Passed;
    }

    private static async Task<int> BisectCommitsAsync(CliTerminal terminal, ExplainOptions options, ReleasePolicy? policy, ExplainLimits limits, CancellationToken cancellationToken)
    {
        var recipe = policy?.Build ?? throw new CliInputException("--bisect needs --policy with a 'build' section");
        var builders = policy.Builders.Where(b => options.Builder is null || b.Id == options.Builder).ToList();
        if (options.Builder is not null) builders.AddRange(policy.Builders.Where(b => b.Id != options.Builder));
        if (builders.Count < 2) throw new CliInputException($"--bisect needs two builders in {options.PolicyPath}");
        builders = builders.Take(2).ToList();
        await terminal.Error.WriteLineAsync($"bisecting {options.BisectRange} with {builders[0].Id} and {builders[1].Id}");
        Directory.CreateDirectory(options.Directory);
        var result = await CommitBisector.RunAsync(recipe, builders, options.Repository, options.BisectRange!, options.Directory, recipe.Limits, limits,
            Connector(options.PolicyPath!), new PhaseLines(terminal.Error), cancellationToken);
        foreach (var probe in result.Probes)
            await terminal.Error.WriteLineAsync($"probe     {probe.CommitId[..12]} {(probe.Reproducible ? "reproducible" : $"NOT reproducible ({string.Join(", ", probe.DifferingArtifacts)})")}");
        if (result.FirstBadCommit is null)
        {
            await terminal.Error.WriteLineAsync($"BAD ({result.BadCommit[..12]}) builds reproducibly: nothing to bisect");
            return ExitCodes.Passed;
        }
        await terminal.Error.WriteLineAsync($"first non-reproducible commit: {result.FirstBadCommit} {result.Subject} ({result.Probes.Count} probes over {result.CommitsInRange} commits)");
        await RenderAsync(terminal, result.Explanation!, options.Json, options.Html ?? Path.Combine(options.Directory, HtmlFileName));
        return ExitCodes.VerificationFailed;
    }

    private static Func<BuilderDefinition, IContainerEngine> Connector(string policyPath)
    {
        var policyDirectory = Path.GetDirectoryName(Path.GetFullPath(policyPath))!;
        return builder => DockerContainerEngine.Connect(builder.Endpoint ?? throw new CliInputException($"builder '{builder.Id}' is federated (no endpoint in the policy): it cannot be rebuilt here"), builder.TlsDirectory is null ? null : Path.Combine(policyDirectory, builder.TlsDirectory));
    }

    private static Uri DockerEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : throw new CliInputException($"--endpoint '{endpoint}': not a URI (unix:///path.sock or tcp://host:port)");

    private static string? CommitOf(string directory) =>
        BuildTrust.Verifiers.Release.ProvenanceSet.ClaimedCommit(BuildTrust.Verifiers.Release.BuildFolder.ReadProvenance(directory));

    /// <summary>Writes a new file where a planted link or file may be: the old entry (never a folder) is removed, then the file is created exclusively.</summary>
    internal static void WriteNew(string path, string content)
    {
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.Missing or FileKind.RegularFile or FileKind.SymbolicLink))
            throw new CliInputException($"{path}: is {FileKinds.Describe(kind)}, not a file; give --html FILE");
        if (kind != FileKind.Missing) File.Delete(path);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
        writer.Write(content);
    }
}
