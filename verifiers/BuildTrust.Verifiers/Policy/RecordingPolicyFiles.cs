namespace BuildTrust.Verifiers.Policy;

/// <summary>Reads policy files through another source and remembers which were read: the files a policy references.</summary>
public sealed class RecordingPolicyFiles(IPolicyFiles inner) : IPolicyFiles
{
    private readonly SortedDictionary<string, byte[]> read = new(StringComparer.Ordinal);

    /// <summary>Every file the policy referenced, by its path relative to the policy's directory.</summary>
    public IReadOnlyDictionary<string, byte[]> Referenced => read;

    public byte[] Read(string relativePath)
    {
        var bytes = inner.Read(relativePath);
        read[PolicyFilePaths.Validate(relativePath)] = bytes;
        return bytes;
    }

    public string Describe(string relativePath) => inner.Describe(relativePath);
}
