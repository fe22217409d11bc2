namespace BuildTrust.Verifiers.Release;

/// <summary>The signed release directory (README "The release directory"): the names <c>sign</c> writes and <c>audit</c> reads.</summary>
public static class ReleaseLayout
{
    public const string Sums = "SHA256SUMS";
    public const string ReleaseAttestation = "release.sigstore.json";
    public const string SourceAttestation = "source.sigstore.json";
    public const string PublicKey = "release.pub";
    public const string Policy = "policy.yaml";
    public const string ProvenanceFolder = "provenance";
    public const string PolicyFolder = "policy";
    public const string BundleSuffix = ".sigstore.json";
    public const string DiffoscopeReport = "diffoscope.txt";
    public const string ReleaseVerifier = "https://buildtrust.dev/verifier/release";
    public const string SourceVerifier = "https://buildtrust.dev/verifier/source-gate";

    /// <summary>Why an artifact name cannot be published at the top of the release directory, or null.</summary>
    public static string? Conflict(string artifact, IEnumerable<string> builderIds)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var top = artifact.Split('/')[0];
        if (top is Sums or ReleaseAttestation or SourceAttestation or PublicKey or Policy or ProvenanceFolder or PolicyFolder || builderIds.Contains(top, StringComparer.Ordinal))
            return $"artifact '{artifact}' would overwrite the release's own '{top}'";
        return artifact.EndsWith(BundleSuffix, StringComparison.Ordinal) ? $"artifact '{artifact}' ends with {BundleSuffix}, which names signatures" : null;
    }

    public static string SumsText(IEnumerable<KeyValuePair<string, string>> artifacts) =>
        string.Concat(artifacts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value}  {a.Key}\n"));
}
