using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Commits;

/// <summary>The policy file as it is in a commit, with the files it references read from the same tree.</summary>
public static class RepositoryPolicy
{
    /// <summary>Loads <paramref name="policyPath"/> at <paramref name="commitId"/>; returns the policy and the file's exact bytes.</summary>
    public static (ReleasePolicy Policy, byte[] Bytes) LoadAt(string repositoryPath, string commitId, string policyPath)
    {
        using var source = GitCommitSource.Open(repositoryPath);
        var label = $"{policyPath}@{commitId}";
        var blob = source.BlobIdAt(commitId, policyPath) ?? throw new PolicyException(label, 0, 0, "no such policy file in the commit");
        var bytes = source.ReadBlob(blob, PolicyLoader.MaximumPolicyBytes);
        var directory = policyPath.Contains('/', StringComparison.Ordinal) ? policyPath[..policyPath.LastIndexOf('/')] : "";
        return (PolicyLoader.Parse(bytes, label, new TreePolicyFiles(source, commitId, directory)), bytes);
    }
}
