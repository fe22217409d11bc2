using BuildTrust.Explain.Causes;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Explain.Bisection;

/// <summary>
/// One unsigned diagnostic build by the pipeline's own <see cref="BuilderRunner"/> (the same lock-down, limits and
/// variations as a release build) into <c>ROOT/&lt;builder id&gt;/artifacts</c>. Bisection decides nothing about trust,
/// so nothing is signed.
/// </summary>
internal static class ProbeBuild
{
    /// <param name="name">The build's folder and name in reports (the builder's id unless a bisection runs it several times).</param>
    public static async Task<(ExplainedBuild? Build, string? Failure, bool Infrastructure)> RunAsync(BuilderDefinition builder, string name, BuildRecipe recipe, BuildLimits limits,
        IContainerEngine engine, ExportedSource source, string root, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        var result = await new BuilderRunner(builder, recipe, limits).RunAsync(engine, source, Path.Combine(root, name), progress, cancellationToken);
        if (result.Failure is BuildFailureKind.Cancelled) throw new OperationCanceledException(cancellationToken);
        if (!result.Succeeded) return (null, $"{name}: {result.FailureMessage}", result.Failure == BuildFailureKind.Infrastructure);
        var view = new BuilderView(name, result.Variations.Recorded(), result.StartedOn, result.FinishedOn);
        return (new ExplainedBuild(view, result.Artifacts.ToDictionary(a => a.Name, a => a.Sha256, StringComparer.Ordinal)), null, false);
    }

    public static bool SameArtifacts(ExplainedBuild a, ExplainedBuild b) =>
        a.Artifacts.Count == b.Artifacts.Count && a.Artifacts.All(p => b.Artifacts.TryGetValue(p.Key, out var digest) && digest == p.Value);
}
