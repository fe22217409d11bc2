using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Git;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// The policy in force at a revision, authenticated through history from a trust root: the trust root's policy is trusted as
/// given, and every commit between it and the revision that changes the policy must pass the gate (its policy-admins'
/// approvals included). Used to inspect a policy as the gate would use it (<c>policy check --trusted-ref</c>).
/// </summary>
public static class AuthenticatedPolicy
{
    /// <summary>
    /// The policy at <paramref name="revision"/> with its evidence judged at <paramref name="evaluatedAt"/>, and the policy
    /// changes since the trust root that do not pass (empty when it is authenticated). Throws <see cref="CommitRangeException"/>
    /// when the revision does not descend from the trust root, <see cref="PolicyException"/> when a policy is malformed.
    /// </summary>
    public static (LoadedPolicy Policy, IReadOnlyList<CommitVerdict> Refused) At(string repositoryPath, string trustRoot, string policyPath, string revision, DateTimeOffset evaluatedAt)
    {
        string root, at;
        var refused = new List<CommitVerdict>();
        using (var source = GitCommitSource.Open(repositoryPath))
        {
            root = source.Resolve(trustRoot);
            at = source.Resolve(revision);
            if (!source.IsAncestor(root, at)) throw new CommitRangeException($"{revision} ({at[..12]}) does not descend from the trust root {root}");
            source.RefuseReplacements(at, root);
            if (at != root)
            {
                var engine = GateEngine.WithTrustRoot(source, at, root, root, policyPath);
                refused.AddRange(engine.PolicyChangeVerdicts().Where(v => v.Status != CheckStatus.Passed));
            }
        }
        return (RepositoryPolicy.LoadAt(repositoryPath, at, policyPath, evaluatedAt), refused);
    }
}
