using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// Where provenance bundles come from besides the build folder: folders of bundles collected from federated builders
/// (<c>DIR/*.sigstore.json</c> and <c>DIR/&lt;builder&gt;/provenance.sigstore.json</c>), and a sigs repository where each builder
/// commits its own (<see cref="SigsRepository"/>). Whatever the origin, every bundle is verified against the policy's builder keys.
/// </summary>
/// <param name="CommitHint">The commit being released when the caller knows it (release resolves its --ref); otherwise the bundles name it.</param>
public sealed record ProvenanceOrigins(IReadOnlyList<string> BundleDirectories, string? SigsRepository, string SigsReference = "HEAD", string? CommitHint = null)
{
    public static ProvenanceOrigins None { get; } = new([], null);

    /// <summary>The bundles of the folders (read now: they may name the built commit, which selects the policy).</summary>
    public ProvenanceCollection ReadDirectories()
    {
        var collection = ProvenanceCollection.Empty;
        foreach (var directory in BundleDirectories)
        {
            var flat = new List<(string, byte[])>();
            if (!Directory.Exists(directory)) throw new UntrustedFileException($"{directory}: no such folder of provenance bundles");
            UntrustedFile.RefuseLinksOnTheWay(directory);
            foreach (var file in Directory.EnumerateFiles(directory, "*" + ReleaseLayout.BundleSuffix).Order(StringComparer.Ordinal))
            {
                flat.Add((file, UntrustedFile.ReadAll(file, BuildFolder.MaximumBundleBytes)));
            }
            collection = collection.With(new ProvenanceCollection([.. flat, .. BuildFolder.ReadProvenance(directory)], []));
        }
        return collection;
    }

    /// <summary>The sigs repository's bundles for <paramref name="builtCommit"/>, each checked to come from a commit its builder signed.</summary>
    public ProvenanceCollection ReadSigs(string? builtCommit, ReleasePolicy policy)
    {
        if (SigsRepository is null) return ProvenanceCollection.Empty;
        var commit = CommitHint ?? builtCommit;
        return commit is null
            ? new ProvenanceCollection([], [$"sigs repository {SigsRepository}: no bundle in the build folder or the bundle folders names the built commit, so its folder cannot be chosen"])
            : Release.SigsRepository.Read(SigsRepository, SigsReference, commit, policy);
    }

    /// <summary>Every bundle: the build folder's, the folders', and the sigs repository's for the commit they name.</summary>
    public ProvenanceCollection Collect(string buildFolder, ReleasePolicy policy)
    {
        var local = new ProvenanceCollection(BuildFolder.ReadProvenance(buildFolder), []).With(ReadDirectories());
        return local.With(ReadSigs(ProvenanceSet.ClaimedCommit(local.Bundles), policy));
    }
}
