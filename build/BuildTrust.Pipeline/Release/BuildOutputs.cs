namespace BuildTrust.Pipeline.Release;

/// <summary>Where <c>build</c> puts each builder's output, and how <c>compare</c>, <c>sign</c> and <c>audit</c> find it.</summary>
public static class BuildOutputs
{
    public const string ProvenanceFile = "provenance.sigstore.json";

    /// <summary>The provenance bundles under <c>DIR/&lt;builder&gt;/</c> (the build layout), read once; symbolic links are refused.</summary>
    public static IReadOnlyList<(string Path, byte[] Bytes)> ReadProvenance(string directory)
    {
        if (!Directory.Exists(directory)) throw new FileNotFoundException($"{directory}: no such folder");
        var bundles = new List<(string, byte[])>();
        foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(folder, ProvenanceFile);
            if (!File.Exists(path)) continue;
            bundles.Add((path, ReadRegularFile(path)));
        }
        return bundles;
    }

    /// <summary>Reads a file that must be a regular file (not a link) of at most <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadRegularFile(string path, long maxBytes = 16 << 20)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) throw new IOException($"{path} is a symbolic link; refusing to follow it");
        if (info.Length > maxBytes) throw new IOException($"{path} is larger than {maxBytes} bytes");
        return File.ReadAllBytes(path);
    }

    public static string ArtifactPath(string directory, string builderId, string name) => Path.Combine(directory, builderId, "artifacts", name);
}
