using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Commits;

/// <summary>The policy file as it is in a commit, with the files it references read from the same tree.</summary>
public static class RepositoryPolicy
{
    /// <summary>
    /// Loads <paramref name="policyPath"/> at <paramref name="commitId"/>: the policy, the file's exact bytes, and every file it
    /// referenced (by path relative to the policy's directory). Throws <see cref="PolicyException"/> naming <c>path@commit</c>.
    /// </summary>
    /// <param name="evaluatedAt">When hardware evidence is judged (default: the commit's time).</param>
    public static LoadedPolicy LoadAt(string repositoryPath, string commitId, string policyPath, DateTimeOffset? evaluatedAt = null)
    {
        using var source = GitCommitSource.Open(repositoryPath);
        var label = $"{policyPath}@{commitId}";
        byte[] bytes;
        try
        {
            bytes = source.ReadFileAt(commitId, policyPath, PolicyLoader.MaximumPolicyBytes) ?? throw new PolicyException(label, 0, 0, "no such policy file in the commit");
        }
        catch (InvalidDataException e)
        {
            throw new PolicyException(label, 0, 0, e.Message);
        }
        var directory = policyPath.Contains('/', StringComparison.Ordinal) ? policyPath[..policyPath.LastIndexOf('/')] : "";
        var files = new RecordingPolicyFiles(new TreePolicyFiles(source, commitId, directory));
        // Hardware evidence is judged at the commit's time, so re-auditing an old release gives the same answer years later.
        return new LoadedPolicy(PolicyLoader.Parse(bytes, label, files, evaluatedAt ?? source.Read(commitId).CommittedAt), bytes, files.Referenced);
    }
}
