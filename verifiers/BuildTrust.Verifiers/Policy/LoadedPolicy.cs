namespace BuildTrust.Verifiers.Policy;

/// <summary>A policy with the exact bytes it was read from and the files it referenced (path relative to its directory → bytes).</summary>
public sealed record LoadedPolicy(ReleasePolicy Policy, byte[] Bytes, IReadOnlyDictionary<string, byte[]> Referenced)
{
    /// <summary>Loads a policy file on disk (see <see cref="PolicyLoader.Load"/>), recording what it references.</summary>
    /// <param name="filesDirectory">Where the files it names are (default: the policy file's own directory).</param>
    public static LoadedPolicy FromFile(string path, string? filesDirectory = null)
    {
        var bytes = PolicyLoader.ReadFile(path);
        var files = new RecordingPolicyFiles(new DirectoryPolicyFiles(filesDirectory ?? Path.GetDirectoryName(Path.GetFullPath(path))!));
        return new LoadedPolicy(PolicyLoader.Parse(bytes, path, files), bytes, files.Referenced);
    }
}
