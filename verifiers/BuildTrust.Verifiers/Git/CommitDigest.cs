using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// A SHA-256 of a commit object as git stores it (<c>"commit &lt;size&gt;\0" + content</c>): the content digest
/// the source-gate attestation names the commit by, recomputable by anyone with the repository.
/// </summary>
public static class CommitDigest
{
    public static string Sha256(string repositoryPath, string commitId)
    {
        using var reader = NativeRepository.Discover(repositoryPath) ?? throw new InvalidDataException($"'{repositoryPath}' is not inside a git repository");
        var content = reader.ReadCommit(commitId, 16 << 20);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"commit {content.Length}\0"));
        return Convert.ToHexStringLower(SHA256.HashData([.. header, .. content]));
    }
}
