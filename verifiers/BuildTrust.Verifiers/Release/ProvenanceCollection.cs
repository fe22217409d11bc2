namespace BuildTrust.Verifiers.Release;

/// <summary>Provenance bundles gathered from somewhere, with what was refused while gathering them (each a reason, naming the file).</summary>
public sealed record ProvenanceCollection(IReadOnlyList<(string Path, byte[] Bytes)> Bundles, IReadOnlyList<string> Problems)
{
    public static ProvenanceCollection Empty { get; } = new([], []);

    /// <summary>
    /// Both collections. A bundle of <paramref name="other"/> with the same bytes as one already here (a builder's own folder and
    /// the sigs repository) counts once; within one origin nothing is merged, so a copied bundle is still a second bundle.
    /// </summary>
    public ProvenanceCollection With(ProvenanceCollection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        static string Digest((string Path, byte[] Bytes) bundle) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bundle.Bytes));
        var here = Bundles.Select(Digest).ToHashSet(StringComparer.Ordinal);
        return new ProvenanceCollection([.. Bundles, .. other.Bundles.Where(b => !here.Contains(Digest(b)))], [.. Problems, .. other.Problems]);
    }
}
