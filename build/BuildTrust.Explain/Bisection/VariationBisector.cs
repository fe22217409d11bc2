using BuildTrust.Explain.Comparison;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Explain.Bisection;

/// <summary>
/// Variation bisection: on the failing builder's engine, one reference build (no variation) and one build per variation
/// of that builder applied alone, one after the other; a variation whose build differs from the reference reproduces
/// the mismatch. The builds land in <c>OUT/&lt;builder&gt;-reference</c> and <c>OUT/&lt;builder&gt;-only-&lt;variation&gt;</c>.
/// </summary>
public static class VariationBisector
{
    public static async Task<VariationBisection> RunAsync(BuildRecipe recipe, BuilderDefinition builder, string repository, string commit, string output,
        BuildLimits limits, ExplainLimits explainLimits, Func<BuilderDefinition, IContainerEngine> connect, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connect);
        var variations = VariationPlan.For(builder).Applied;
        if (variations.Count == 0) throw new ExplainException($"builder '{builder.Id}' applies no variation: there is nothing to bisect");
        Directory.CreateDirectory(output);
        using var source = SourceExporter.Export(repository, commit);
        IContainerEngine engine;
        try
        {
            engine = connect(builder);
        }
        catch (ContainerEngineException e)
        {
            throw new BisectionException(e.Message, infrastructure: true);
        }
        using (engine)
        {
            var reference = await BuildAsync(builder with { Variations = new HashSet<string>(StringComparer.Ordinal) }, $"{builder.Id}-reference", recipe, limits, engine, source, output, progress, cancellationToken);
            var trials = new List<VariationTrial>();
            var builds = new List<ExplainedBuild> { reference };
            foreach (var variation in variations)
            {
                var alone = builder with { Variations = new HashSet<string>([variation], StringComparer.Ordinal) };
                var build = await BuildAsync(alone, $"{builder.Id}-only-{variation}", recipe, limits, engine, source, output, progress, cancellationToken);
                var differing = reference.Artifacts.Keys.Union(build.Artifacts.Keys).Where(name => reference.Artifacts.GetValueOrDefault(name) != build.Artifacts.GetValueOrDefault(name))
                    .Order(StringComparer.Ordinal).ToList();
                trials.Add(new VariationTrial(variation, build.View.Id, differing));
                if (differing.Count > 0) builds.Add(build);
            }
            var explanation = BuildFolderExplainer.ExplainBuilds(Path.GetFullPath(output), builds, reference.View.Id, explainLimits);
            return new VariationBisection(source.CommitId, builder.Id, engine.Endpoint, trials, explanation);
        }
    }

    private static async Task<ExplainedBuild> BuildAsync(BuilderDefinition builder, string name, BuildRecipe recipe, BuildLimits limits, IContainerEngine engine, ExportedSource source,
        string output, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        var (build, failure, infrastructure) = await ProbeBuild.RunAsync(builder, name, recipe, limits, engine, source, output, progress, cancellationToken);
        return build ?? throw new BisectionException($"the build {name} failed: {failure}", infrastructure);
    }
}
