using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// An audit of a published release: which policy it is judged by and what vouches for that policy, the files themselves
/// (<see cref="ReleaseAuditor"/>), and with a repository the source gate replayed over the released commit. The released
/// commit never vouches for itself: without a trust root or a policy the caller gives, the audit fails.
/// </summary>
public static class ReleaseAudit
{
    /// <param name="Repository">The repository to replay the source gate in, or null to audit the files alone.</param>
    /// <param name="Trust">The caller's trust options; <see cref="TrustOptions.Policy"/> is a file on disk without a trust root.</param>
    /// <param name="Sigs">A sigs repository the release's provenance bundles must also be found in, each committed by its builder.</param>
    public sealed record Request(string Directory, string? Repository, TrustOptions Trust, ProvenanceOrigins? Sigs = null);

    public static AuditReport Run(Request request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var root = Path.GetFullPath(request.Directory);
        var inventory = ReleaseInventory.Take(root, ReleaseAuditor.MaximumEntries);
        var (loaded, source, anchor) = SelectPolicy(request, root, inventory);
        var checks = new List<CheckResult> { source };
        checks.AddRange(ReleaseAuditor.Audit(root, loaded));
        var commit = loaded.Policy.Build is null || loaded.Policy.Release is null ? null
            : ProvenanceSet.Verify(loaded.Policy, ProvenanceBundles(root, inventory)).SourceCommit;
        if (request.Sigs?.SigsRepository is { } sigs)
        {
            checks.Add(commit is null
                ? CheckResult.Fail("release.sigs", "every provenance bundle published in the sigs repository by its builder", "not checked: the provenance does not agree on a released commit")
                : CheckSigs(request.Sigs, commit, loaded.Policy, ProvenanceBundles(root, inventory)));
        }
        if (request.Repository is not null)
        {
            checks.Add(commit is null
                ? CheckResult.Fail("source-gate.replayed", "the source gate passing up to the released commit", "not replayed: the provenance does not agree on a released commit")
                : ReplaySourceGate(request.Repository, anchor, loaded, commit, cancellationToken));
        }
        return new AuditReport(commit, checks);
    }

    private static (LoadedPolicy Policy, CheckResult Source, TrustAnchor? Anchor) SelectPolicy(Request request, string root, ReleaseInventory inventory)
    {
        const string Id = "policy.authenticated";
        const string Expected = "a policy whose authority comes from outside the release: a trust root, or a policy file the auditor gives";
        var trust = request.Trust;
        if (request.Repository is null)
        {
            if (trust.TrustRoot is not null || trust.TrustedRef is not null) throw new TrustAnchorException("--trust-root and --trusted-ref need --repo (the repository to authenticate the policy in)");
            if (trust.Policy is { } given) return (LoadedPolicy.FromFile(given), CheckResult.Pass(Id, Expected, $"audited against {given}, given by the auditor"), null);
            return (Published(root), CheckResult.Fail(Id, Expected,
                "NOT authenticated: audited against the policy.yaml published in the release itself; give --policy FILE, or --repo with a trust root"), null);
        }

        var anchor = TrustAnchor.Resolve(request.Repository, trust);
        switch (anchor.Authority)
        {
            case PolicyAuthority.History:
                var claimed = ProvenanceSet.ClaimedCommit(ProvenanceBundles(root, inventory));
                if (claimed is null)
                    return (Published(root), CheckResult.Fail(Id, Expected, "no provenance bundle names the released commit, so the repository's policy cannot be selected"), anchor);
                return (RepositoryPolicy.LoadAt(request.Repository, claimed, anchor.PolicyPath),
                    CheckResult.Pass(Id, Expected, $"the repository's {anchor.PolicyPath} at the released commit {claimed[..12]}, {anchor.Origin} (the replayed source gate below must hold)"), anchor);
            case PolicyAuthority.GivenByCaller:
                return (LoadedPolicy.FromFile(anchor.PolicyPath), CheckResult.Pass(Id, Expected, $"audited against {anchor.Origin}"), anchor);
            default:
                if (trust.Policy is not null) return (LoadedPolicy.FromFile(anchor.PolicyPath), CheckResult.Fail(Id, Expected, $"{anchor.Origin}; {TrustAnchor.Remedy}"), anchor);
                var released = ProvenanceSet.ClaimedCommit(ProvenanceBundles(root, inventory));
                var policy = released is null ? Published(root) : RepositoryPolicy.LoadAt(request.Repository, released, RepositoryParameters.DefaultPolicy);
                return (policy, CheckResult.Fail(Id, Expected,
                    $"NOT authenticated: without a trust root the released commit's own policy would vouch for itself; {TrustAnchor.Remedy}"), anchor);
        }
    }

    private static CheckResult CheckSigs(ProvenanceOrigins sigs, string commit, ReleasePolicy policy, List<(string Path, byte[] Bytes)> published)
    {
        const string Id = "release.sigs";
        const string Expected = "every provenance bundle published in the sigs repository by its builder";
        var collected = sigs.ReadSigs(commit, policy);
        var inSigs = collected.Bundles.Select(b => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b.Bytes))).ToHashSet(StringComparer.Ordinal);
        var missing = published.Where(b => !inSigs.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b.Bytes)))).Select(b => b.Path).ToList();
        var problems = collected.Problems.Concat(missing.Select(path => $"{path} is not in {sigs.SigsRepository} as its builder committed it")).ToList();
        return problems.Count == 0
            ? CheckResult.Pass(Id, Expected, $"{published.Count} bundle(s), each committed to {sigs.SigsRepository} by its builder")
            : CheckResult.Fail(Id, Expected, string.Join("; ", problems.Take(10)));
    }

    private static LoadedPolicy Published(string root) =>
        LoadedPolicy.FromFile(Path.Combine(root, ReleaseLayout.Policy), Path.Combine(root, ReleaseLayout.PolicyFolder));

    private static List<(string Path, byte[] Bytes)> ProvenanceBundles(string root, ReleaseInventory inventory)
    {
        var prefix = ReleaseLayout.ProvenanceFolder + "/";
        return [.. inventory.Files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(f => (f, UntrustedFile.ReadAll(Path.Combine(root, f), ReleaseAuditor.MaximumFileBytes)))];
    }

    private static CheckResult ReplaySourceGate(string repository, TrustAnchor? anchor, LoadedPolicy policy, string commit, CancellationToken cancellationToken)
    {
        const string Id = "source-gate.replayed";
        const string Expected = "every commit up to the released one passes the source gate";
        var fromRoot = anchor is { Authority: PolicyAuthority.History };
        var report = fromRoot
            ? SourceGate.VerifyFromTrustRoot(repository, new CommitRange(anchor!.TrustRoot, commit), anchor.TrustRoot!, anchor.PolicyPath, cancellationToken)
            : SourceGate.Verify(repository, new CommitRange(null, commit), policy.Policy, cancellationToken);
        var summary = report.Summary;
        var failures = report.Commits.Where(c => c.Status != CheckStatus.Passed).Take(3).Select(c => $"{c.CommitId[..12]}: {c.FirstFailure?.Actual}");
        var actual = $"{summary.Passed} of {summary.Total} commit(s) pass{(fromRoot ? $" from trust root {anchor!.TrustRoot}" : "")}";
        return summary.Status == CheckStatus.Passed
            ? CheckResult.Pass(Id, Expected, actual)
            : CheckResult.Fail(Id, Expected, actual + ": " + string.Join("; ", failures));
    }
}
