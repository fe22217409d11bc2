using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Commits;

/// <summary>Policy files read from a commit's tree, relative to the policy's directory in that commit.</summary>
internal sealed class TreePolicyFiles(GitCommitSource source, string commitId, string directory) : IPolicyFiles
{
    public byte[] Read(string relativePath)
    {
        var path = $"{directory}/{PolicyFilePaths.Validate(relativePath)}";
        var blob = source.BlobIdAt(commitId, path) ?? throw new PolicyFileException($"{Describe(relativePath)}: no such regular file in the commit");
        try
        {
            return source.ReadBlob(blob, PolicyFilePaths.MaximumFileBytes);
        }
        catch (InvalidDataException e)
        {
            throw new PolicyFileException($"{Describe(relativePath)}: {e.Message}");
        }
    }

    public string Describe(string relativePath) => $"{directory}/{relativePath}@{commitId}";
}
