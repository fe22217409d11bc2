using BuildTrust.Pipeline.Containers;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Runs every builder of a release at once on the exported tree of one commit, then signs each finished
/// builder's provenance with that builder's key (outside the container; the key never enters it).
/// Layout: <c>OUT/&lt;builder&gt;/artifacts/...</c>, <c>build.log</c>, <c>provenance.sigstore.json</c>.
/// </summary>
public static class ReleaseBuild
{
    public const string ProvenanceFileName = "provenance.sigstore.json";

    public static async Task<ReleaseBuildResult> RunAsync(ReleaseBuildRequest request, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var builder in request.Builders)
        {
            if (!request.Signers.TryGetValue(builder.Id, out var signer))
                throw new BuildInputException($"no signing key for builder '{builder.Id}' (give --builder-key {builder.Id}=KEY)");
            if (!signer.SubjectPublicKeyInfo.AsSpan().SequenceEqual(builder.PublicKeyDer))
                throw new BuildInputException($"the key {signer.Description} is not builder '{builder.Id}''s key in the policy; its provenance would not verify");
        }
        Directory.CreateDirectory(request.OutputDirectory);
        using var source = SourceExporter.Export(request.Repository, request.Revision);
        var results = await Task.WhenAll(request.Builders.Select(builder => Task.Run(() => RunOneAsync(request, builder, source, progress, cancellationToken), CancellationToken.None)));
        var provenance = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (result, path) in results)
        {
            if (path is not null) provenance[result.BuilderId] = path;
        }
        return new ReleaseBuildResult(source.CommitId, source.Repository, [.. results.Select(r => r.Result)], provenance);
    }

    private static async Task<(BuilderRunResult Result, string? Provenance)> RunOneAsync(ReleaseBuildRequest request, Verifiers.Policy.BuilderDefinition builder,
        ExportedSource source, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(request.OutputDirectory, builder.Id);
        // A provenance bundle from an earlier run in this folder must not outlive a failure of this one.
        var path = Path.Combine(directory, ProvenanceFileName);
        if (File.Exists(path)) File.Delete(path);
        IContainerEngine engine;
        try
        {
            engine = request.Connect(builder);
        }
        catch (ContainerEngineException e)
        {
            var now = DateTimeOffset.UtcNow;
            progress.Report(new BuildProgress(builder.Id, BuildPhase.Failed, e.Message));
            return (new BuilderRunResult(builder.Id, "", now, now, BuildFailureKind.Infrastructure, e.Message, [], Path.Combine(directory, "artifacts"),
                Path.Combine(directory, "build.log"), VariationPlan.For(builder), new Dictionary<string, string>(), null), null);
        }
        using (engine)
        {
            var result = await new BuilderRunner(builder, request.Recipe, request.Limits).RunAsync(engine, source, directory, progress, cancellationToken);
            if (!result.Succeeded) return (result, null);
            progress.Report(new BuildProgress(builder.Id, BuildPhase.Signing, null));
            var bundle = ProvenanceWriter.Write(result, source, request.Recipe, request.Signers[builder.Id]);
            var partial = path + ".partial";
            await File.WriteAllBytesAsync(partial, bundle, CancellationToken.None);
            File.Move(partial, path, overwrite: true);
            progress.Report(new BuildProgress(builder.Id, BuildPhase.Finished, $"{result.Artifacts.Count} artifact(s), provenance signed"));
            return (result, path);
        }
    }
}
