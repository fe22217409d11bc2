using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Commits;

/// <summary>The source gate: every commit of a range judged for signature, reviews and policy authority.</summary>
public static class SourceGate
{
    /// <summary>
    /// Opens the gate over <paramref name="range"/> with <paramref name="policy"/> given from outside and
    /// trusted as is. Throws <see cref="CommitRangeException"/> for an unknown revision, a missing
    /// repository or an empty range.
    /// </summary>
    public static SourceGateRun Start(string repositoryPath, CommitRange range, ReleasePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Open(repositoryPath, range, null, (source, include, exclude, _) =>
        {
            var engine = GateEngine.WithFixedPolicy(source, include, exclude, policy);
            return (engine, new SourceGateScope(repositoryPath, range.ToString(), include, exclude, policy.Source, policy.Sha256));
        });
    }

    /// <summary>
    /// Opens the gate with the policy authenticated through history: the file at <paramref name="policyPath"/>
    /// in the trust-root commit is trusted as given, and every later commit is judged by the policy in force
    /// at its parents. Throws <see cref="PolicyException"/> when the trust root's policy is missing or malformed.
    /// </summary>
    public static SourceGateRun StartFromTrustRoot(string repositoryPath, CommitRange range, string trustRoot, string policyPath)
    {
        ArgumentNullException.ThrowIfNull(trustRoot);
        ArgumentNullException.ThrowIfNull(policyPath);
        return Open(repositoryPath, range, trustRoot, (source, include, exclude, root) =>
        {
            var engine = GateEngine.WithTrustRoot(source, include, exclude, root!, policyPath);
            var policy = engine.ScopePolicy;
            return (engine, new SourceGateScope(repositoryPath, range.ToString(), include, exclude, policy.Source, policy.Sha256)
            {
                TrustRoot = root,
                Authority = PolicyAuthority.History,
                AuthorityOrigin = $"authenticated through history from the trust root {root}",
                ExemptionsIgnored = engine.ExemptionsRefused,
            });
        });
    }

    /// <summary>
    /// Opens the gate with the policy <paramref name="anchor"/> names: through history from its trust root, or a file
    /// on disk trusted as given. A run whose anchor is not authenticated is reported as such and never passes.
    /// </summary>
    public static SourceGateRun Start(string repositoryPath, CommitRange range, TrustAnchor anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        if (anchor.Authority == PolicyAuthority.History)
        {
            var run = StartFromTrustRoot(repositoryPath, range, anchor.TrustRoot!, anchor.PolicyPath);
            return run.WithScope(run.Scope with { AuthorityOrigin = anchor.Origin });
        }
        var fixedRun = Start(repositoryPath, range, PolicyLoader.Load(anchor.PolicyPath));
        return fixedRun.WithScope(fixedRun.Scope with { Authority = anchor.Authority, AuthorityOrigin = anchor.Origin });
    }

    /// <summary>Runs the gate with a fixed policy and keeps every verdict in memory.</summary>
    public static SourceGateReport Verify(string repositoryPath, CommitRange range, ReleasePolicy policy, CancellationToken cancellationToken = default)
    {
        using var run = Start(repositoryPath, range, policy);
        return new SourceGateReport(run.Scope, run.Verdicts(cancellationToken).ToList());
    }

    /// <summary>Runs the gate from a trust root and keeps every verdict in memory.</summary>
    public static SourceGateReport VerifyFromTrustRoot(string repositoryPath, CommitRange range, string trustRoot, string policyPath, CancellationToken cancellationToken = default)
    {
        using var run = StartFromTrustRoot(repositoryPath, range, trustRoot, policyPath);
        return new SourceGateReport(run.Scope, run.Verdicts(cancellationToken).ToList());
    }

    private static SourceGateRun Open(string repositoryPath, CommitRange range, string? trustRoot,
        Func<GitCommitSource, string, string?, string?, (GateEngine Engine, SourceGateScope Scope)> create)
    {
        ArgumentNullException.ThrowIfNull(range);
        var source = GitCommitSource.Open(repositoryPath);
        try
        {
            var include = source.Resolve(range.Include);
            var exclude = range.Exclude is null ? null : source.Resolve(range.Exclude);
            var root = trustRoot is null ? null : source.Resolve(trustRoot);
            // From a trust root T, T..T is the trust root alone (releasing the commit that adopted the policy).
            var trustRootAlone = root is not null && include == root && exclude == root;
            if (exclude is not null && !trustRootAlone && source.IsAncestor(include, exclude))
                throw new CommitRangeException($"the range '{range}' selects no commits");
            source.RefuseReplacements(include, exclude, root);
            var (engine, scope) = create(source, include, exclude, root);
            return new SourceGateRun(source, scope, engine.Verdicts);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }
}
