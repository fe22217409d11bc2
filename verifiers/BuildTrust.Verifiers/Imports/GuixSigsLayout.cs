using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// Bitcoin Core's guix.sigs: <c>&lt;version&gt;/&lt;signer&gt;/{noncodesigned,all}.SHA256SUMS</c>, each with a detached armored signature
/// <c>.asc</c>; one group per version and kind (<c>29.4/all</c>). <c>builder-keys/</c>, <c>contrib/</c> and dot-folders are not versions.
/// </summary>
public static class GuixSigsLayout
{
    public static readonly string[] Kinds = ["noncodesigned", "all"];

    private static readonly string[] NotVersions = ["builder-keys", "contrib"];

    public static IReadOnlyList<SignedSumsFiles.Entry> Find(string root, string? version = null)
    {
        if (!Directory.Exists(root)) throw new UntrustedFileException($"{root}: no such folder");
        UntrustedFile.RefuseLinksOnTheWay(root);
        var entries = new List<SignedSumsFiles.Entry>();
        foreach (var versionFolder in SignedSumsFiles.List(root).Folders)
        {
            var name = Path.GetFileName(versionFolder);
            if (name.StartsWith('.') || NotVersions.Contains(name, StringComparer.Ordinal) || (version is not null && name != version)) continue;
            foreach (var signerFolder in SignedSumsFiles.List(versionFolder).Folders)
            {
                var files = SignedSumsFiles.List(signerFolder).Files.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
                foreach (var kind in Kinds)
                {
                    var sums = $"{kind}.SHA256SUMS";
                    if (!files.Contains(sums) && !files.Contains(sums + ".asc")) continue;
                    entries.Add(new SignedSumsFiles.Entry($"{name}/{kind}", Path.GetFileName(signerFolder),
                        files.Contains(sums) ? Path.Combine(signerFolder, sums) : null, files.Contains(sums + ".asc") ? Path.Combine(signerFolder, sums + ".asc") : null));
                }
            }
        }
        if (version is not null && entries.Count == 0) throw new UntrustedFileException($"{root}: no attestations for version '{version}'");
        return entries;
    }
}
