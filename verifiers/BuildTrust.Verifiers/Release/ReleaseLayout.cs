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
        if (NameProblem(artifact) is { } problem) return problem;
        var top = artifact.Split('/')[0];
        if (top is Sums or ReleaseAttestation or SourceAttestation or PublicKey or Policy or ProvenanceFolder or PolicyFolder || builderIds.Contains(top, StringComparer.Ordinal))
            return $"artifact '{artifact}' would overwrite the release's own '{top}'";
        return artifact.EndsWith(BundleSuffix, StringComparison.Ordinal) ? $"artifact '{artifact}' ends with {BundleSuffix}, which names signatures" : null;
    }

    /// <summary>
    /// Why a name cannot be an artifact's, or null. Names are printable ASCII (space to tilde) without a
    /// backslash and without a space at either end; the builder refuses other names when it collects /out,
    /// and SHA256SUMS is never written with one. This rules out what could make a listing lie: control
    /// characters (a newline forges a second SHA256SUMS line; C1 and DEL act on terminals), backslashes
    /// (sha256sum escapes them and the line changes meaning), bytes that are not UTF-8, bidirectional
    /// overrides and invisible characters, names that differ only by Unicode normalisation (é as one code
    /// point or as e and U+0301) and look-alike letters from other scripts. Names other tools show
    /// differently than they are stored are therefore impossible, and byte order is ordinal order.
    /// </summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) return "an artifact name is empty";
        foreach (var c in name)
        {
            if (c is >= ' ' and <= '~' and not '\\') continue;
            return $"artifact name '{Printable(name)}' contains {Describe(c)}; artifact names are printable ASCII without backslash";
        }
        return name[0] == ' ' || name[^1] == ' ' ? $"artifact name '{name}' starts or ends with a space" : null;
    }

    /// <summary>The name with every character outside printable ASCII shown as <c>\uXXXX</c>, safe to print in a message.</summary>
    public static string Printable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new System.Text.StringBuilder(name.Length);
        foreach (var c in name.Length > 512 ? name[..512] : name) text.Append(c is >= ' ' and <= '~' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        return name.Length > 512 ? text.Append("...").ToString() : text.ToString();
    }

    private static string Describe(char c) => c switch
    {
        '\\' => "a backslash",
        '\uFFFD' => "bytes that are not UTF-8 (read as U+FFFD)",
        < ' ' or (>= '\u007F' and <= '\u009F') => $"the control character U+{(int)c:X4}",
        _ when char.IsSurrogate(c) => "a character outside the Basic Multilingual Plane or a broken surrogate",
        _ => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format
            ? $"the invisible or bidirectional format character U+{(int)c:X4}"
            : $"the non-ASCII character U+{(int)c:X4}",
    };

    /// <summary>SHA256SUMS in sha256sum's format, sorted by name; refuses a name it could not write unambiguously (see <see cref="NameProblem"/>) and a digest that is not 64 lowercase hex digits.</summary>
    public static string SumsText(IEnumerable<KeyValuePair<string, string>> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var text = new System.Text.StringBuilder();
        foreach (var (name, digest) in artifacts.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (NameProblem(name) is { } problem) throw new ArgumentException($"SHA256SUMS cannot list it: {problem}", nameof(artifacts));
            if (digest.Length != 64 || !digest.All(char.IsAsciiHexDigitLower))
                throw new ArgumentException($"SHA256SUMS cannot list '{name}': its digest is not 64 lowercase hex digits", nameof(artifacts));
            text.Append(digest).Append("  ").Append(name).Append('\n');
        }
        return text.ToString();
    }
}
