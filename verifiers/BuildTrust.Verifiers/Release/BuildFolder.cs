using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Release;

/// <summary>Where <c>build</c> puts each builder's output, and how <c>compare</c> and <c>sign</c> find it.</summary>
public static class BuildFolder
{
    public const string ProvenanceFile = "provenance.sigstore.json";

    /// <summary>A provenance bundle larger than this is refused while it is read.</summary>
    public const int MaximumBundleBytes = 16 << 20;

    /// <summary>The provenance bundles under <c>DIR/&lt;builder&gt;/</c>, read once: regular files only, no link on the way, capped.</summary>
    public static IReadOnlyList<(string Path, byte[] Bytes)> ReadProvenance(string directory)
    {
        if (!Directory.Exists(directory)) throw new UntrustedFileException($"{directory}: no such folder");
        UntrustedFile.RefuseLinksOnTheWay(directory);
        var bundles = new List<(string, byte[])>();
        foreach (var folder in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(folder).StartsWith('.')) continue;
            var path = Path.Combine(folder, ProvenanceFile);
            if (!UntrustedFile.Exists(path)) continue;
            bundles.Add((path, UntrustedFile.ReadAll(path, MaximumBundleBytes)));
        }
        return bundles;
    }

    /// <summary>The folder holding a builder's collected artifacts.</summary>
    public static string Artifacts(string directory, string builderId) => Path.Combine(directory, builderId, "artifacts");
}
