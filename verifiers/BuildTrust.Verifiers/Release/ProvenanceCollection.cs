namespace BuildTrust.Verifiers.Release;

/// <summary>Provenance bundles gathered from somewhere, with what was refused while gathering them (each a reason, naming the file).</summary>
public sealed record ProvenanceCollection(IReadOnlyList<(string Path, byte[] Bytes)> Bundles, IReadOnlyList<string> Problems)
{
    public static ProvenanceCollection Empty { get; } = new([], []);

    /// <summary>Both collections; a bundle found twice with the same bytes (a builder's own folder and the sigs repository) counts once.</summary>
    public ProvenanceCollection With(ProvenanceCollection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bundles = Bundles.Concat(other.Bundles).Where(b => seen.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(b.Bytes)))).ToList();
        return new ProvenanceCollection(bundles, [.. Problems, .. other.Problems]);
    }
}
