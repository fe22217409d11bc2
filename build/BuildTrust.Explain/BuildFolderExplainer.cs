using System.Diagnostics;
using BuildTrust.Explain.Causes;
using BuildTrust.Explain.Comparison;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Release;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Explain;

/// <summary>
/// Explains a build folder (<c>DIR/&lt;builder&gt;/artifacts</c>, <c>provenance.sigstore.json</c>): which artifacts differ
/// between builders and why. With a policy, the provenance is verified first and only accepted builders are compared; without
/// one, its claims (variations, times) are read unverified and the report says so. Artifacts are read as the attested
/// regular files only (no link on the way, content hashing to the attested digest), within <see cref="ExplainLimits"/>.
/// </summary>
public static class BuildFolderExplainer
{
    private const int MaximumArtifacts = 100_000;

    public static Explanation Explain(string directory, ReleasePolicy? policy, ExplainLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Problem() is { } problem) throw new ArgumentException(problem, nameof(limits));
        var notes = new List<string>();
        var root = Path.GetFullPath(directory);
        var builders = ReadBuilders(root, policy, notes, out var verified);
        return ExplainBuilds(root, builders, null, limits, verified, notes);
    }

    /// <summary>Explains builds already known (the bisections' own): each compared with <paramref name="referenceId"/>, or with the largest agreeing group.</summary>
    public static Explanation ExplainBuilds(string root, IReadOnlyList<ExplainedBuild> builders, string? referenceId, ExplainLimits limits, bool verified = true, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(builders);
        ArgumentNullException.ThrowIfNull(limits);
        var clock = Stopwatch.StartNew();
        var allNotes = notes?.ToList() ?? [];
        var budget = new ComparisonBudget(limits);
        if (builders.Count < 2)
        {
            allNotes.Add($"{builders.Count} builder(s) with artifacts found: nothing to compare");
            return new Explanation(root, verified, [.. builders.Select(b => b.View)], builders.FirstOrDefault()?.View.Id, [], [], allNotes, budget.Skipped, clock.Elapsed);
        }
        var reference = builders.FirstOrDefault(b => b.View.Id == referenceId) ?? builders.GroupBy(b => Signature(b.Artifacts)).OrderByDescending(g => g.Count()).ThenBy(g => g.First().View.Id, StringComparer.Ordinal).First().First();
        var artifacts = new List<ArtifactExplanation>();
        foreach (var builder in builders.Where(b => b != reference))
        {
            foreach (var name in reference.Artifacts.Keys.Union(builder.Artifacts.Keys).Order(StringComparer.Ordinal))
            {
                var left = reference.Artifacts.GetValueOrDefault(name);
                var right = builder.Artifacts.GetValueOrDefault(name);
                if (left == right) continue;
                var comparison = new PairComparison(budget);
                if (left is null || right is null)
                {
                    comparison.Add(new Difference(name, DifferenceKind.Missing, left is null ? "missing" : "present", right is null ? "missing" : "present"));
                }
                else if (Read(root, reference.View.Id, name, left, budget) is { } bytesA && Read(root, builder.View.Id, name, right, budget) is { } bytesB)
                {
                    comparison.Compare(name, bytesA, bytesB, 0);
                }
                else
                {
                    // Differing digests stay a difference even when the bytes cannot be compared: never "no difference".
                    var reason = budget.Skipped.Count > 0 ? budget.Skipped[^1] : "not readable";
                    artifacts.Add(new ArtifactExplanation(name, reference.View.Id, builder.View.Id, left, right, [], 0,
                        [new Cause("not-compared", $"`{name}` differs (digests {left[..12]} and {right[..12]}) but was not compared: {reason}", "compare it by hand, or raise the caps", 1, null, [])]));
                    continue;
                }
                artifacts.Add(new ArtifactExplanation(name, reference.View.Id, builder.View.Id, left, right, comparison.Differences, comparison.Dropped,
                    CauseRules.Explain(comparison.Differences, reference.View, builder.View)));
            }
        }
        artifacts = WithCrossReferencedVariation(WithCompanionCauses(artifacts), reference, builders);
        return new Explanation(root, verified, [.. builders.Select(b => b.View)], reference.View.Id, artifacts, Rank(artifacts), allNotes, budget.Skipped, clock.Elapsed);
    }

    /// <summary>
    /// Cross-references the builders: when nothing specific explains an artifact and the builders differ in several
    /// variations, the variations shared by every builder whose artifact differs from the reference, and by none whose
    /// artifact matches it, are the suspects; exactly one is named as the cause.
    /// </summary>
    private static List<ArtifactExplanation> WithCrossReferencedVariation(List<ArtifactExplanation> artifacts, ExplainedBuild reference, IReadOnlyList<ExplainedBuild> builders) =>
        [.. artifacts.Select(artifact =>
        {
            if (artifact.Causes.FirstOrDefault() is not { Id: "variation", Variation: null } vague) return artifact;
            var differing = builders.Where(b => b != reference && b.Artifacts.GetValueOrDefault(artifact.Name) != reference.Artifacts.GetValueOrDefault(artifact.Name)).ToList();
            var agreeing = builders.Where(b => b != reference && b.Artifacts.GetValueOrDefault(artifact.Name) == reference.Artifacts.GetValueOrDefault(artifact.Name)).ToList();
            var suspects = differing.Select(b => (IEnumerable<string>)reference.View.DifferingVariations(b.View)).Aggregate((x, y) => x.Intersect(y, StringComparer.Ordinal))
                .Except(agreeing.SelectMany(b => reference.View.DifferingVariations(b.View)), StringComparer.Ordinal).ToList();
            if (suspects.Count != 1) return artifact;
            var named = vague with
            {
                Summary = $"`{artifact.Name}` differs from {reference.View.Id}'s in exactly the builders that vary `{suspects[0]}` ({string.Join(", ", differing.Select(b => b.View.Id))}) and in none of those that do not ({string.Join(", ", agreeing.Select(b => b.View.Id))}); no more specific cause matched",
                Fix = $"make the build independent of {suspects[0]}",
                Score = 60,
                Variation = suspects[0],
            };
            return artifact with { Causes = [named, .. artifact.Causes.Skip(1)] };
        })];

    /// <summary>
    /// A PDB shares its identity with its assembly: when nothing specific explains a differing <c>x.pdb</c> but <c>x.dll</c> (or
    /// <c>x.exe</c>) of the same pair has a specific cause, that cause is the PDB's too (a non-deterministic compilation gives
    /// both a fresh id).
    /// </summary>
    private static List<ArtifactExplanation> WithCompanionCauses(List<ArtifactExplanation> artifacts) =>
        [.. artifacts.Select(pdb =>
        {
            if (!pdb.Name.EndsWith(".pdb", StringComparison.Ordinal) || pdb.Causes.FirstOrDefault() is { Score: >= 70 }) return pdb;
            var stem = pdb.Name[..^4];
            var assembly = artifacts.FirstOrDefault(a => a.Builder == pdb.Builder && a.ReferenceBuilder == pdb.ReferenceBuilder
                && (a.Name == stem + ".dll" || a.Name == stem + ".exe") && a.Causes.FirstOrDefault() is { Score: >= 70 });
            if (assembly is null) return pdb;
            var cause = assembly.Causes[0];
            return pdb with { Causes = [cause with { Summary = $"{cause.Summary} (`{pdb.Name}` is the PDB of `{assembly.Name}` and follows it)", Evidence = pdb.Differences }, .. pdb.Causes] };
        })];

    /// <summary>Causes over every artifact: one per id and variation, its evidence merged, the best score kept, ranked.</summary>
    private static List<Cause> Rank(List<ArtifactExplanation> artifacts) =>
        [.. artifacts.SelectMany(a => a.Causes)
            .GroupBy(c => (c.Id, c.Variation))
            .Select(g => g.OrderByDescending(c => c.Score).First() with { Evidence = [.. g.SelectMany(c => c.Evidence)] })
            .OrderByDescending(c => c.Score).ThenByDescending(c => c.Evidence.Count)];

    private static string Signature(IReadOnlyDictionary<string, string> artifacts) =>
        string.Join('\n', artifacts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static List<ExplainedBuild> ReadBuilders(string root, ReleasePolicy? policy, List<string> notes, out bool verified)
    {
        IReadOnlyList<(string Path, byte[] Bytes)> bundles;
        try
        {
            bundles = BuildFolder.ReadProvenance(root);
        }
        catch (UntrustedFileException e)
        {
            throw new ExplainException(e.Message, e);
        }
        var claims = new List<ProvenanceClaims>();
        verified = policy is not null && bundles.Count > 0;
        if (policy is not null && bundles.Count > 0)
        {
            var result = ProvenanceSet.Verify(policy, bundles);
            foreach (var problem in result.Problems.Concat(result.Malformed)) notes.Add($"provenance refused: {problem}");
            claims.AddRange(result.Accepted.Select(a => a.Claims));
            verified = result.Malformed.Count == 0 && result.Accepted.Count == bundles.Count;
        }
        else
        {
            foreach (var (path, bytes) in bundles)
            {
                try
                {
                    if (SigstoreBundleReader.Parse(bytes, path).Dsse is { } dsse) claims.Add(InTotoStatements.ReadProvenance(dsse.Payload, path));
                }
                catch (SigstoreBundleException e)
                {
                    notes.Add($"provenance unreadable: {e.Message}");
                }
            }
            if (bundles.Count > 0) notes.Add("provenance NOT verified (no --policy): builders' variations, times and digests are their own unverified claims");
        }
        if (bundles.Count > 0)
        {
            return [.. claims.GroupBy(c => c.BuilderId, StringComparer.Ordinal).Select(g => g.First()).OrderBy(c => c.BuilderId, StringComparer.Ordinal)
                .Select(c => new ExplainedBuild(new BuilderView(c.BuilderId, c.Variations, c.StartedOn, c.FinishedOn),
                    c.Subjects.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.First().Sha256, StringComparer.Ordinal)))];
        }
        notes.Add("no provenance found: the artifacts folders are compared as found, and no builder variation is known");
        var builders = new List<ExplainedBuild>();
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(folder);
            var artifacts = BuildFolder.Artifacts(root, id);
            if (id.StartsWith('.') || FileKinds.Of(folder) != FileKind.Directory || FileKinds.Of(artifacts) != FileKind.Directory) continue;
            builders.Add(new ExplainedBuild(new BuilderView(id, new Dictionary<string, string>(), null, null), HashFolder(root, artifacts, notes)));
        }
        return builders;
    }

    /// <summary>Every regular file under an artifacts folder, hashed; links, devices and FIFOs are noted and left out.</summary>
    private static Dictionary<string, string> HashFolder(string root, string folder, List<string> notes)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>([folder]);
        while (pending.Count > 0 && digests.Count < MaximumArtifacts)
        {
            var current = pending.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(current).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(folder, entry).Replace(Path.DirectorySeparatorChar, '/');
                switch (FileKinds.Of(entry))
                {
                    case FileKind.Directory:
                        pending.Push(entry);
                        break;
                    case FileKind.RegularFile:
                        try
                        {
                            
                            digests[relative] = ArtifactHasher.HashFile(entry);
                        }
                        catch (Exception e) when (e is UntrustedFileException or IOException or UnauthorizedAccessException)
                        {
                            notes.Add($"{Path.GetRelativePath(root, entry)}: not read: {e.Message}");
                        }
                        break;
                    default:
                        notes.Add($"{Path.GetRelativePath(root, entry)}: {FileKinds.Describe(FileKinds.Of(entry))}, not a regular file: left out");
                        break;
                }
            }
        }
        return digests;
    }

    /// <summary>The attested artifact's bytes, or null with the reason in the skipped list.</summary>
    private static byte[]? Read(string root, string builder, string name, string sha256, ComparisonBudget budget)
    {
        var relative = Path.GetRelativePath(root, Path.Combine(BuildFolder.Artifacts(root, builder), name));
        if (ContainedPath.Problem(root, relative) is { } problem)
        {
            budget.Skip($"{name} of {builder}: {relative} {problem}; not compared");
            return null;
        }
        var path = Path.Combine(root, relative);
        try
        {
            using var stream = UntrustedFile.OpenRead(path);
            if (stream.Length > budget.Limits.MaxFileBytes || !budget.TryTake(stream.Length))
            {
                budget.Skip($"{name} of {builder}: {stream.Length} bytes, past the size caps ({budget.Limits.MaxFileBytes} per file, {budget.Limits.MaxTotalBytes} in all); compared by digest only");
                return null;
            }
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            if (stream.ReadByte() >= 0 || Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) != sha256)
            {
                budget.Skip($"{name} of {builder}: {relative} does not hash to the attested {sha256[..12]}; not compared");
                return null;
            }
            return bytes;
        }
        catch (Exception e) when (e is UntrustedFileException or IOException or UnauthorizedAccessException)
        {
            budget.Skip($"{name} of {builder}: not read: {e.Message}");
            return null;
        }
    }
}
