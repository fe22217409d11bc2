using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Attestations;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Sigstore;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// Re-verifies a signed release directory from its files alone (and the policy): no symbolic links, the
/// release key is the policy's, every artifact's signature and SHA256SUMS, the release and source
/// attestations and what they bind, every provenance bundle and the quorum, and no file the release does
/// not account for. Each check is reported; anything not checked is never reported as passed.
/// </summary>
public static partial class ReleaseAuditor
{
    public static IReadOnlyList<AuditCheck> Audit(string directory, ReleasePolicy policy, byte[] policyBytes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var checks = new List<AuditCheck>();
        void Add(string name, CheckStatus status, string detail) => checks.Add(new AuditCheck(name, status, detail));
        if (policy.Release is null || policy.Build is null)
        {
            Add("policy", CheckStatus.Malformed, "the policy has no build or release section");
            return checks;
        }
        var root = Path.GetFullPath(directory);
        var links = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Where(p => new FileInfo(p).LinkTarget is not null).ToList();
        if (links.Count > 0)
        {
            Add("no symbolic links", CheckStatus.Failed, $"{string.Join(", ", links.Select(l => Path.GetRelativePath(root, l)))}: a release holds regular files only");
            return checks;
        }
        Add("no symbolic links", CheckStatus.Passed, "every entry is a regular file or folder");

        var releaseKey = policy.Release.PublicKeyDer;
        var published = Read(root, ReleaseLayout.PublicKey);
        if (published is null || !SamePublicKey(published, releaseKey))
            Add("release key", CheckStatus.Failed, $"{ReleaseLayout.PublicKey} is {(published is null ? "missing" : "not the policy's release.public-key")}");
        else Add("release key", CheckStatus.Passed, $"{ReleaseLayout.PublicKey} is the policy's release key ({Dsse.KeyHint(releaseKey)})");

        var policyDigest = Convert.ToHexStringLower(SHA256.HashData(policyBytes));
        var publishedPolicy = Read(root, ReleaseLayout.Policy);
        Add("policy", publishedPolicy is not null && publishedPolicy.AsSpan().SequenceEqual(policyBytes) ? CheckStatus.Passed : CheckStatus.Failed,
            publishedPolicy is null ? $"{ReleaseLayout.Policy} is missing" : $"{ReleaseLayout.Policy} {(publishedPolicy.AsSpan().SequenceEqual(policyBytes) ? "is" : "is NOT")} the policy audited against (sha256 {policyDigest[..12]})");

        // SHA256SUMS and the artifacts with their signatures.
        var sums = ParseSums(Read(root, ReleaseLayout.Sums), out var sumsProblem);
        if (sums is null) Add(ReleaseLayout.Sums, CheckStatus.Malformed, sumsProblem!);
        else
        {
            var hashed = ArtifactHasher.HashFiles(root, [.. sums.Keys.Where(n => File.Exists(Path.Combine(root, n)))]).ToDictionary(h => h.Name, h => h.Sha256, StringComparer.Ordinal);
            var bad = sums.Where(s => !hashed.TryGetValue(s.Key, out var digest) || digest != s.Value).Select(s => hashed.ContainsKey(s.Key) ? $"{s.Key} (digest differs)" : $"{s.Key} (missing)").ToList();
            Add(ReleaseLayout.Sums, bad.Count == 0 ? CheckStatus.Passed : CheckStatus.Failed, bad.Count == 0 ? $"{sums.Count} artifact(s) match" : string.Join(", ", bad));
            var unsigned = new List<string>();
            foreach (var (name, digest) in sums)
            {
                var bundle = Read(root, name + ReleaseLayout.BundleSuffix);
                var check = bundle is null ? new BundleCheck(BundleStatus.Failed, $"{name}{ReleaseLayout.BundleSuffix} is missing")
                    : BundleVerifier.VerifyMessageSignature(bundle, name + ReleaseLayout.BundleSuffix, releaseKey, Convert.FromHexString(hashed.GetValueOrDefault(name, digest)));
                if (!check.Verified) unsigned.Add(check.Message);
            }
            Add("artifact signatures", unsigned.Count == 0 ? CheckStatus.Passed : CheckStatus.Failed,
                unsigned.Count == 0 ? $"{sums.Count} signature(s) verify with the release key" : string.Join("; ", unsigned));
        }

        // The builders' provenance and the quorum, recomputed.
        var provenanceFolder = Path.Combine(root, ReleaseLayout.ProvenanceFolder);
        var bundles = Directory.Exists(provenanceFolder)
            ? Directory.EnumerateFiles(provenanceFolder).Order(StringComparer.Ordinal).Select(p => (Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllBytes(p))).ToList()
            : [];
        var provenance = ProvenanceSet.Verify(policy, bundles);
        Add("provenance and quorum", provenance.Malformed.Count > 0 ? CheckStatus.Malformed : provenance.Passed ? CheckStatus.Passed : CheckStatus.Failed,
            string.Join("; ", [.. provenance.Malformed, .. provenance.Problems, provenance.Quorum?.Reason ?? "no quorum"]));
        if (sums is not null && provenance.Quorum?.Agreed is { } agreed)
        {
            var same = agreed.Count == sums.Count && agreed.All(a => sums.TryGetValue(a.Key, out var d) && d == a.Value);
            Add("artifacts are the agreed ones", same ? CheckStatus.Passed : CheckStatus.Failed,
                same ? "SHA256SUMS lists exactly the artifact set the quorum agreed on" : "SHA256SUMS differs from the artifact set the builders agreed on (missing, extra or swapped artifacts)");
        }

        // The attestations, and what they bind.
        var release = Summary(root, ReleaseLayout.ReleaseAttestation, releaseKey, checks);
        if (release is not null)
        {
            var problems = new List<string>();
            if (!release.Passed) problems.Add("its result is not PASSED");
            if (release.PolicySha256 != policyDigest) problems.Add("it binds another policy");
            if (sums is not null && (release.Subjects.Count != sums.Count || release.Subjects.Any(s => !sums.TryGetValue(s.Name, out var d) || d != s.Sha256)))
                problems.Add("its subjects are not SHA256SUMS");
            var actualInputs = bundles.ToDictionary(b => b.Item1, b => Convert.ToHexStringLower(SHA256.HashData(b.Item2)), StringComparer.Ordinal);
            if (release.InputAttestations.Count != actualInputs.Count || release.InputAttestations.Any(i => !actualInputs.TryGetValue(i.Name, out var d) || d != i.Sha256))
                problems.Add("its input attestations are not the provenance bundles published");
            if (provenance.SourceCommit is { } commit && !release.ResourceUri.EndsWith("@" + commit, StringComparison.Ordinal)) problems.Add("it names another commit than the provenance");
            Add("release attestation binds", problems.Count == 0 ? CheckStatus.Passed : CheckStatus.Failed,
                problems.Count == 0 ? $"{release.ResourceUri}, policy {release.PolicySha256[..12]}, {release.InputAttestations.Count} provenance bundle(s), {release.Subjects.Count} artifact(s)" : string.Join("; ", problems));
        }
        var source = Summary(root, ReleaseLayout.SourceAttestation, releaseKey, checks);
        if (source is not null)
        {
            var matches = source.Passed && source.PolicySha256 == policyDigest && (provenance.SourceCommit is null || source.ResourceUri.EndsWith("@" + provenance.SourceCommit, StringComparison.Ordinal));
            Add("source attestation binds", matches ? CheckStatus.Passed : CheckStatus.Failed, matches ? $"source gate PASSED for {source.ResourceUri}" : "the source attestation is not a PASSED verdict for this commit and policy");
        }

        // Nothing the release does not account for.
        var known = new HashSet<string>(StringComparer.Ordinal) { ReleaseLayout.Sums, ReleaseLayout.ReleaseAttestation, ReleaseLayout.SourceAttestation, ReleaseLayout.PublicKey, ReleaseLayout.Policy };
        foreach (var (name, _) in sums ?? []) known.UnionWith([name, name + ReleaseLayout.BundleSuffix]);
        foreach (var (name, _) in bundles) known.Add(name);
        var builderFolders = policy.Builders.Select(b => b.Id + "/").ToList();
        var extra = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => !known.Contains(p) && !builderFolders.Any(f => p.StartsWith(f, StringComparison.Ordinal)) && !p.StartsWith(ReleaseLayout.PolicyFolder + "/", StringComparison.Ordinal) && p != "diffoscope.txt").Order(StringComparer.Ordinal).ToList();
        Add("no unaccounted files", extra.Count == 0 ? CheckStatus.Passed : CheckStatus.Failed, extra.Count == 0 ? "every file is listed, signed or an attestation" : $"not part of the release: {string.Join(", ", extra.Take(10))}");
        return checks;
    }

    private static VerificationSummaryClaims? Summary(string root, string name, byte[] key, List<AuditCheck> checks)
    {
        var bytes = Read(root, name);
        if (bytes is null)
        {
            checks.Add(new AuditCheck(name, CheckStatus.Failed, "missing"));
            return null;
        }
        var check = BundleVerifier.VerifyDsse(bytes, name, key, Dsse.InTotoPayloadType);
        if (!check.Verified)
        {
            checks.Add(new AuditCheck(name, check.Status == BundleStatus.Malformed ? CheckStatus.Malformed : CheckStatus.Failed, check.Message));
            return null;
        }
        try
        {
            var claims = InTotoStatements.ReadVerificationSummary(check.Payload!, name);
            checks.Add(new AuditCheck(name, CheckStatus.Passed, "signed by the release key"));
            return claims;
        }
        catch (SigstoreBundleException e)
        {
            checks.Add(new AuditCheck(name, CheckStatus.Malformed, e.Message));
            return null;
        }
    }

    /// <summary><c>sha256sum</c> format, sorted by name, each name once, plain relative paths.</summary>
    public static SortedDictionary<string, string>? ParseSums(byte[]? bytes, out string? problem)
    {
        problem = null;
        if (bytes is null)
        {
            problem = "missing";
            return null;
        }
        var sums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            problem = "not UTF-8";
            return null;
        }
        string? previous = null;
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
        {
            if (line.Length == 0) continue;
            var match = SumsLine().Match(line);
            if (!match.Success) { problem = $"malformed line '{line[..Math.Min(line.Length, 80)]}'"; return null; }
            var name = match.Groups["name"].Value;
            if (name.Split('/').Any(s => s is "" or "." or "..") || (previous is not null && string.CompareOrdinal(previous, name) >= 0))
            {
                problem = $"'{name}' is not a plain relative path in sorted, unique order";
                return null;
            }
            sums[name] = match.Groups["digest"].Value;
            previous = name;
        }
        return sums;
    }

    private static byte[]? Read(string root, string name)
    {
        var path = Path.Combine(root, name);
        return File.Exists(path) && new FileInfo(path).Length <= 64 << 20 ? File.ReadAllBytes(path) : null;
    }

    private static bool SamePublicKey(byte[] pem, byte[] expected)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(Encoding.ASCII.GetString(pem));
            return key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(expected);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }

    [GeneratedRegex("^(?<digest>[0-9a-f]{64})  (?<name>[^\\s\\\\][^\\n\\\\]*)$")]
    private static partial Regex SumsLine();
}
