using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// Whether a build folder deserves the release key, decided from its inputs alone and never from a flag or a file saying
/// a gate passed: the policy's authority, every builder's provenance and the quorum, the source gate over the built
/// commit, and the agreed artifacts' digests on disk. <c>sign</c> writes only when it passes. The outcome is a list of
/// <see cref="CheckResult"/>s, in order, stopping at the first that fails.
/// </summary>
public static class ReleaseDecision
{
    /// <param name="Directory">The build folder: <c>DIR/&lt;builder&gt;/provenance.sigstore.json</c> and <c>DIR/&lt;builder&gt;/artifacts/</c>.</param>
    /// <param name="Origins">Where else provenance bundles come from (federated builders' folders, a sigs repository).</param>
    public sealed record Request(string Directory, string Repository, TrustAnchor Anchor, ProvenanceOrigins? Origins = null);

    public static ReleaseVerdict Decide(Request request, Action<string> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var anchor = request.Anchor;
        var checks = new List<CheckResult>();
        ReleaseVerdict Stop(CheckResult failure) => new([.. checks, failure]);

        const string Authority = "policy.authenticated";
        const string AuthorityExpected = "a policy authenticated through history or given by the caller";
        if (!anchor.Authenticated)
            return Stop(CheckResult.Malformed(Authority, AuthorityExpected, $"the policy is NOT authenticated ({anchor.Origin}); signing needs an authenticated policy: {TrustAnchor.Remedy}"));

        var origins = request.Origins ?? ProvenanceOrigins.None;
        var local = new ProvenanceCollection(BuildFolder.ReadProvenance(request.Directory), []).With(origins.ReadDirectories());
        var bundles = local.Bundles;
        string? claimed = null;
        LoadedPolicy loaded;
        if (anchor.Authority == PolicyAuthority.History)
        {
            // The commit the bundles name only selects which committed policy to load; that policy must then verify the bundles,
            // and the source gate from the trust root must authenticate it.
            claimed = origins.CommitHint ?? ProvenanceSet.ClaimedCommit(bundles);
            if (claimed is null) return Stop(CheckResult.Fail(Authority, AuthorityExpected, "no provenance bundle names the commit that was built"));
            loaded = RepositoryPolicy.LoadAt(request.Repository, claimed, anchor.PolicyPath);
        }
        else
        {
            loaded = LoadedPolicy.FromFile(anchor.PolicyPath);
        }
        var policy = loaded.Policy;
        if (policy.Build is null || policy.Release is null)
            return Stop(CheckResult.Malformed(Authority, AuthorityExpected, $"{policy.Source}: signing needs the policy's 'build' and 'release' sections"));
        checks.Add(CheckResult.Pass(Authority, AuthorityExpected, $"{policy.Source}, {anchor.Origin}"));

        progress("verifying the builders' provenance and the quorum");
        var gathered = local.With(origins.ReadSigs(claimed ?? ProvenanceSet.ClaimedCommit(bundles), policy));
        var provenance = ProvenanceSet.Verify(policy, gathered.Bundles, gathered.Problems);
        const string Quorum = "release.provenance";
        var quorumExpected = $"provenance from the policy's builders reaching quorum {policy.Release.Quorum}";
        if (!provenance.Passed)
        {
            var status = provenance.Malformed.Count > 0 ? CheckStatus.Malformed : CheckStatus.Failed;
            return Stop(new CheckResult(Quorum, status, quorumExpected, string.Join("; ", [.. provenance.Malformed, .. provenance.Problems, provenance.Quorum?.Reason ?? "no quorum"])));
        }
        var commit = provenance.SourceCommit!;
        if (claimed is not null && commit != claimed)
            return Stop(CheckResult.Fail(Quorum, quorumExpected, $"the accepted provenance built {commit[..12]}, not {claimed[..12]} whose policy was loaded"));
        checks.Add(CheckResult.Pass(Quorum, quorumExpected, provenance.Quorum!.Reason));

        cancellationToken.ThrowIfCancellationRequested();
        progress($"verifying the source gate up to {commit[..12]}");
        var gate = anchor.Authority == PolicyAuthority.History
            ? SourceGate.VerifyFromTrustRoot(request.Repository, new CommitRange(anchor.TrustRoot, commit), anchor.TrustRoot!, anchor.PolicyPath, cancellationToken)
            : SourceGate.Verify(request.Repository, new CommitRange(null, commit), policy, cancellationToken);
        const string Source = "source-gate";
        var sourceExpected = $"every commit up to {commit[..12]} passes the source gate";
        if (gate.Summary.Status != CheckStatus.Passed)
        {
            var failures = gate.Commits.Where(c => c.Status != CheckStatus.Passed).Take(5).Select(c => $"commit {c.CommitId[..12]}: {c.FirstFailure?.Id}: {c.FirstFailure?.Actual}");
            return Stop(CheckResult.Fail(Source, sourceExpected, string.Join("; ", [$"the source gate failed: {gate.Summary.Failed} failed, {gate.Summary.Malformed} malformed", .. failures])));
        }
        checks.Add(CheckResult.Pass(Source, sourceExpected, $"{gate.Summary.Passed} commit(s) pass{(anchor.TrustRoot is null ? "" : $" from the trust root {anchor.TrustRoot[..12]}")}"));

        progress("checking the artifacts against the agreed digests");
        var quorum = provenance.Quorum!;
        const string Artifacts = "release.artifacts";
        const string ArtifactsExpected = "the agreed artifacts, unchanged since the build, with names the release can hold";
        var builderIds = policy.Builders.Select(b => b.Id).ToList();
        var conflicts = quorum.Agreed!.Keys.Select(name => ReleaseLayout.Conflict(name, builderIds)).OfType<string>().ToList();
        if (conflicts.Count > 0) return Stop(CheckResult.Fail(Artifacts, ArtifactsExpected, string.Join("; ", conflicts)));
        // Federated builders' artifacts are elsewhere: any agreeing builder whose artifacts are in the folder will do, since
        // they are checked against the agreed digests below.
        var source = quorum.AgreeingBuilders.FirstOrDefault(b => System.IO.Directory.Exists(BuildFolder.Artifacts(request.Directory, b)));
        if (source is null)
            return Stop(CheckResult.Fail(Artifacts, ArtifactsExpected,
                $"no agreeing builder's artifacts are in {request.Directory} ({string.Join(", ", quorum.AgreeingBuilders)} agree); copy one's artifacts folder into {request.Directory}/<builder>/artifacts"));
        var names = quorum.Agreed.Keys.Order(StringComparer.Ordinal).ToList();
        var hashed = ArtifactHasher.HashFiles(BuildFolder.Artifacts(request.Directory, source), names);
        var swapped = hashed.Where(h => h.Sha256 != quorum.Agreed[h.Name]).Select(h => $"{source}/artifacts/{h.Name} changed after the build (its digest is not the agreed one)").ToList();
        if (swapped.Count > 0) return Stop(CheckResult.Fail(Artifacts, ArtifactsExpected, string.Join("; ", swapped)));
        checks.Add(CheckResult.Pass(Artifacts, ArtifactsExpected, $"{names.Count} artifact(s) as agreed, copied from {source}"));

        return new ReleaseVerdict(checks)
        {
            Commit = commit,
            Policy = loaded,
            Provenance = provenance,
            AgreeingBuilder = source,
        };
    }
}
