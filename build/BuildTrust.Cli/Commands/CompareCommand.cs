using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Files;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Pipeline.Release;
using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Release;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust compare</c>: verifies the builders' provenance and evaluates the quorum.</summary>
public static class CompareCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var policy = new Option<string>("--policy") { Description = "The policy file whose builder keys and quorum apply.", Required = true };
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var directory = new Argument<string>("dir") { Description = "The output folder of 'buildtrust build' (DIR/<builder>/provenance.sigstore.json)." };
        var origins = new OriginArguments();
        var command = new Command("compare",
            "Verify every provenance bundle in DIR against the policy's builder keys (a bundle of an unknown key, two bundles of one builder, " +
            "or bundles that disagree on the commit, recipe or image are refused), then evaluate release.quorum: at least k builders whose " +
            "complete artifact sets (names and digests, nothing missing, nothing extra) are identical. Prints artifacts x builders with digests " +
            "and sizes and, for a mismatch, what differs between which builders and why (ranked causes, as explain; DIR/explain.html), with a diffoscope diff of the first differing artifact when " +
            "diffoscope is installed. Exit 0 when the quorum holds, 1 when not or a bundle is refused, 2 for malformed input.")
        {
            policy, json, directory,
        };
        origins.AddTo(command);
        command.SetAction((parse, _) => RunAsync(terminal, new CompareOptions(parse.GetValue(policy)!, parse.GetValue(directory)!, parse.GetValue(json), origins.Read(parse))));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, CompareOptions options) => ExitCodeOf(await CompareAsync(terminal, options));

    /// <summary>Verifies and renders; the typed result lets <c>release</c> decide without going through an exit code.</summary>
    public static async Task<ProvenanceSetResult> CompareAsync(CliTerminal terminal, CompareOptions options)
    {
        var policy = PolicyLoader.Load(options.Policy);
        if (policy.Build is null || policy.Release is null) throw new CliInputException($"{options.Policy}: compare needs the policy's 'build' and 'release' sections");
        var gathered = (options.Origins ?? ProvenanceOrigins.None).Collect(options.Directory, policy);
        var result = ProvenanceSet.Verify(policy, gathered.Bundles, gathered.Problems);
        await ComparisonWriter.WriteTextAsync(terminal.Error, result, options.Directory);
        if (result.Quorum is { Passed: false } quorum && quorum.Differences.Count > 0)
        {
            await ExplainAsync(terminal, options.Directory, policy);
            await DiffoscopeAsync(terminal, options.Directory, quorum.Differences[0]);
        }
        if (options.Json) await ComparisonWriter.WriteJsonAsync(terminal.Out, result);
        return result;
    }

    public static int ExitCodeOf(ProvenanceSetResult result) =>
        result.Malformed.Count > 0 ? ExitCodes.BadInput : result.Passed ? ExitCodes.Passed : ExitCodes.VerificationFailed;

    /// <summary>Explains the mismatch (ranked causes on stderr, the HTML report in DIR/explain.html); the verdict stays the quorum's.</summary>
    private static async Task ExplainAsync(CliTerminal terminal, string directory, ReleasePolicy policy)
    {
        try
        {
            var explanation = BuildTrust.Explain.BuildFolderExplainer.Explain(directory, policy, BuildTrust.Explain.Comparison.ExplainLimits.Default);
            await ExplainCommand.RenderAsync(terminal, explanation, json: false, Path.Combine(directory, ExplainCommand.HtmlFileName));
        }
        catch (Exception e) when (e is BuildTrust.Explain.ExplainException or CliInputException or IOException or UnauthorizedAccessException)
        {
            await terminal.Error.WriteLineAsync($"explain: not explained: {e.Message}");
        }
    }

    /// <summary>
    /// With diffoscope installed, the first differing artifact of two builders is explained into DIR/diffoscope.txt. The
    /// folder may come from others: diffoscope only sees files reached without a symbolic link whose content is the
    /// attested one, by absolute paths after '--' (a path is never read as an option).
    /// </summary>
    private static async Task DiffoscopeAsync(CliTerminal terminal, string directory, Verifiers.Quorum.ArtifactDifference difference)
    {
        var present = difference.DigestByBuilder.Where(p => p.Value is not null).Select(p => p.Key).ToList();
        if (present.Count < 2) return;
        var root = Path.GetFullPath(directory);
        var files = new List<string>();
        foreach (var builder in present.Take(2))
        {
            var relative = Path.GetRelativePath(root, Path.Combine(BuildFolder.Artifacts(root, builder), difference.Name));
            if (AttestedFileProblem(root, relative, difference.DigestByBuilder[builder]!) is { } problem)
            {
                await terminal.Error.WriteLineAsync($"diffoscope: {difference.Name} of {builder} is not diffed: {relative} {problem}");
                return;
            }
            files.Add(Path.Combine(root, relative));
        }
        var output = Path.Combine(root, "diffoscope.txt");
        try
        {
            var result = ExternalProcess.Run("diffoscope", ["--text", output, "--max-report-size", "1048576", "--", files[0], files[1]], timeout: TimeSpan.FromMinutes(5));
            if (result.ExitCode is 0 or 1 && File.Exists(output))
            {
                await terminal.Error.WriteLineAsync($"diffoscope {difference.Name} ({present[0]} vs {present[1]}), full report in {output}:");
                foreach (var line in File.ReadLines(output).Take(30)) await terminal.Error.WriteLineAsync("  " + line);
            }
        }
        catch (ToolUnavailableException)
        {
            await terminal.Error.WriteLineAsync("(install diffoscope for a detailed diff of the first differing artifact: apt-get install --no-install-recommends diffoscope-minimal)");
        }
        catch (TimeoutException)
        {
            await terminal.Error.WriteLineAsync("diffoscope did not finish within 5 minutes");
        }
    }

    private static string? AttestedFileProblem(string root, string relative, string sha256)
    {
        if (ContainedPath.Problem(root, relative) is { } problem) return problem;
        var path = Path.Combine(root, relative);
        if (FileKinds.Of(path) != FileKind.RegularFile) return "is missing or not a regular file";
        try
        {
            return ArtifactHasher.HashFile(path) == sha256 ? null : $"does not hash to the attested {sha256[..12]}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message}";
        }
    }
}
