namespace BuildTrust.Verifiers.Policy;

/// <summary>Policy files on disk, relative to the directory of the policy file.</summary>
public sealed class DirectoryPolicyFiles(string directory) : IPolicyFiles
{
    public byte[] Read(string relativePath)
    {
        var path = Path.Combine(directory, PolicyFilePaths.Validate(relativePath));
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new PolicyFileException($"{path}: file not found");
            if (info.LinkTarget is not null) throw new PolicyFileException($"{path}: is a symbolic link; policy files must be regular files");
            if (info.Length > PolicyFilePaths.MaximumFileBytes) throw new PolicyFileException($"{path}: larger than {PolicyFilePaths.MaximumFileBytes} bytes");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException($"{path}: cannot be read: {e.Message}");
        }
    }

    public string Describe(string relativePath) => Path.Combine(directory, relativePath);
}
