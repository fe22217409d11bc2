using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// Tor Browser's builders' signatures over <c>sha256sums-unsigned-build.txt</c> and <c>sha256sums-signed-build.txt</c> (and the
/// <c>.incrementals.txt</c> lists), in either layout Tor uses: one list and one signature per builder beside it
/// (<c>sha256sums-unsigned-build.txt.asc-&lt;builder&gt;</c>, as in a release folder), or a folder per builder holding its own list
/// and <c>.asc</c> (as each builder uploads them). A folder holding neither is a folder of versions.
/// </summary>
public static class TorBrowserLayout
{
    private const string Prefix = "sha256sums-";

    public static IReadOnlyList<SignedSumsFiles.Entry> Find(string root)
    {
        if (!Directory.Exists(root)) throw new UntrustedFileException($"{root}: no such folder");
        UntrustedFile.RefuseLinksOnTheWay(root);
        var entries = FindVersion(root, ".");
        if (entries.Count > 0) return entries;
        foreach (var version in SignedSumsFiles.List(root).Folders.Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            entries.AddRange(FindVersion(version, Path.GetFileName(version)));
        }
        return entries;
    }

    private static List<SignedSumsFiles.Entry> FindVersion(string folder, string version)
    {
        var entries = new List<SignedSumsFiles.Entry>();
        string Group(string list) => version == "." ? Kind(list) : $"{version}/{Kind(list)}";
        var files = SignedSumsFiles.List(folder).Files;
        foreach (var signature in files.Where(f => Path.GetFileName(f).StartsWith(Prefix, StringComparison.Ordinal) && Path.GetFileName(f).Contains(".txt.asc-", StringComparison.Ordinal)))
        {
            var name = Path.GetFileName(signature);
            var split = name.IndexOf(".txt.asc-", StringComparison.Ordinal);
            var list = Path.Combine(folder, name[..(split + 4)]);
            entries.Add(new SignedSumsFiles.Entry(Group(list), name[(split + 9)..], files.Contains(list) ? list : null, signature));
        }
        if (entries.Count > 0) return entries;
        foreach (var builder in SignedSumsFiles.List(folder).Folders.Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            var own = SignedSumsFiles.List(builder).Files;
            // A release folder (signatures named .asc-<builder> beside one list) is a version, not a builder's folder.
            if (own.Any(f => Path.GetFileName(f).Contains(".txt.asc-", StringComparison.Ordinal))) continue;
            foreach (var list in own.Where(f => Path.GetFileName(f).StartsWith(Prefix, StringComparison.Ordinal) && f.EndsWith(".txt", StringComparison.Ordinal)))
            {
                entries.Add(new SignedSumsFiles.Entry(Group(list), Path.GetFileName(builder), list, own.Contains(list + ".asc") ? list + ".asc" : null));
            }
        }
        return entries;
    }

    /// <summary><c>sha256sums-unsigned-build.txt</c> is the kind <c>unsigned-build</c>.</summary>
    private static string Kind(string list) => Path.GetFileName(list)[Prefix.Length..^".txt".Length];
}
