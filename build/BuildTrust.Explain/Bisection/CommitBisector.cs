using BuildTrust.Explain.Comparison;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Explain.Bisection;

/// <summary>
/// Finds the breaking commit: the first-parent history of <c>GOOD..BAD</c> (as <c>git rev-list --first-parent</c> lists
/// it) is searched by halving, each probe building one commit with every given builder (on their own engines, at once)
/// and comparing their artifact sets. GOOD must build reproducibly and BAD must not, or there is nothing to find; both
/// are built to check it. Probes land in <c>OUT/&lt;commit&gt;/&lt;builder&gt;</c>.
/// </summary>
public static class CommitBisector
{
    private const int MaximumCommits = 1_000_000;

    public static async Task<CommitBisection> RunAsync(BuildRecipe recipe, IReadOnlyList<BuilderDefinition> builders, string repository, string range, string output,
        BuildLimits limits, ExplainLimits explainLimits, Func<BuilderDefinition, IContainerEngine> connect, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builders);
        if (builders.Count < 2) throw new ArgumentException("commit bisection needs at least two builders", nameof(builders));
        var (good, bad) = Resolve(repository, range);
        var commits = Git(repository, "rev-list", "--first-parent", "--reverse", $"{good}..{bad}").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (commits.Length == 0) throw new ExplainException($"--bisect {range}: no commit on the first-parent history from {good[..12]} to {bad[..12]}");
        if (commits.Length > MaximumCommits) throw new ExplainException($"--bisect {range}: more than {MaximumCommits} commits");
        var probes = new List<CommitProbe>();
        var builds = new Dictionary<string, IReadOnlyList<ExplainedBuild>>(StringComparer.Ordinal);
        async Task<bool> ReproducibleAsync(string commit)
        {
            var probe = await ProbeAsync(recipe, builders, repository, commit, output, limits, connect, progress, cancellationToken);
            builds[commit] = probe;
            var reference = probe[0];
            var differing = probe.Skip(1).SelectMany(b => b.Artifacts.Keys.Union(reference.Artifacts.Keys)
                .Where(name => b.Artifacts.GetValueOrDefault(name) != reference.Artifacts.GetValueOrDefault(name))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            probes.Add(new CommitProbe(commit, differing.Count == 0, differing));
            return differing.Count == 0;
        }
        if (await ReproducibleAsync(bad)) return new CommitBisection(good, bad, commits.Length, null, null, probes, null);
        if (!await ReproducibleAsync(good)) throw new ExplainException($"--bisect {range}: GOOD ({good[..12]}) does not build reproducibly either; choose an older GOOD");
        int low = -1, high = commits.Length - 1;   // commits[low] (or GOOD) is reproducible, commits[high] is not
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            if (await ReproducibleAsync(commits[middle])) low = middle;
            else high = middle;
        }
        var first = commits[high];
        var explanation = BuildFolderExplainer.ExplainBuilds(Path.GetFullPath(Path.Combine(output, first[..12])), builds[first], builders[0].Id, explainLimits);
        return new CommitBisection(good, bad, commits.Length, first, Git(repository, "log", "-1", "--format=%s", first).Trim(), probes, explanation);
    }

    private static async Task<IReadOnlyList<ExplainedBuild>> ProbeAsync(BuildRecipe recipe, IReadOnlyList<BuilderDefinition> builders, string repository, string commit,
        string output, BuildLimits limits, Func<BuilderDefinition, IContainerEngine> connect, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        using var source = SourceExporter.Export(repository, commit);
        var root = Path.Combine(output, commit[..12]);
        var results = await Task.WhenAll(builders.Select(builder => Task.Run(async () =>
        {
            IContainerEngine engine;
            try
            {
                engine = connect(builder);
            }
            catch (ContainerEngineException e)
            {
                throw new BisectionException(e.Message, infrastructure: true);
            }
            using (engine) return await ProbeBuild.RunAsync(builder, builder.Id, recipe, limits, engine, source, root, progress, cancellationToken);
        }, CancellationToken.None)));
        if (results.FirstOrDefault(r => r.Build is null) is { Failure: { } failure } failed)
            throw new BisectionException($"commit {commit[..12]} could not be built: {failure}", failed.Infrastructure);
        return [.. results.Select(r => r.Build!)];
    }

    private static (string Good, string Bad) Resolve(string repository, string range)
    {
        var parts = range.Split("..");
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.StartsWith('-') || p.StartsWith('.')))
            throw new ExplainException($"--bisect '{range}': expected GOOD..BAD (two revisions)");
        return (Commit(repository, parts[0]), Commit(repository, parts[1]));
    }

    private static string Commit(string repository, string revision)
    {
        var result = ExternalProcess.Run("git", ["-C", repository, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], timeout: TimeSpan.FromMinutes(1));
        var id = result.StandardOutput.Trim();
        if (result.ExitCode != 0 || id.Length != 40) throw new ExplainException($"{repository}: unknown revision '{revision}'");
        return id;
    }

    private static string Git(string repository, params string[] arguments)
    {
        var result = ExternalProcess.Run("git", ["-C", repository, .. arguments], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0) throw new ExplainException($"{repository}: git {arguments[0]} failed: {result.StandardError.Trim()}");
        return result.StandardOutput;
    }
}
