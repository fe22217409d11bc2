using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Policy;

/// <summary>Policy files on disk, relative to the directory of the policy file: regular files only, no link on the way, read with a cap.</summary>
public sealed class DirectoryPolicyFiles(string directory) : IPolicyFiles
{
    public byte[] Read(string relativePath)
    {
        var path = Path.Combine(directory, PolicyFilePaths.Validate(relativePath));
        try
        {
            // The policy's own directory was reached by the caller; from there down, nothing may be a link.
            var current = directory;
            foreach (var part in relativePath.Split('/')[..^1])
            {
                current = Path.Combine(current, part);
                if (new DirectoryInfo(current).LinkTarget is not null) throw new PolicyFileException($"{path}: {current} is a symbolic link; policy files must be regular files");
            }
            return UntrustedFile.ReadAll(path, PolicyFilePaths.MaximumFileBytes);
        }
        catch (UntrustedFileException e)
        {
            throw new PolicyFileException(e.Message);
        }
    }

    public string Describe(string relativePath) => Path.Combine(directory, relativePath);
}
