using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// Re-verifies a signed release directory from its files alone, against a policy: only regular files and folders, the
/// release key is the policy's, SHA256SUMS and every artifact's signature, every provenance bundle and the quorum, the
/// release and source attestations and what they bind, the policy's own files, and no file the release does not account
/// for. One method per check; each is reported, and anything not checked is never reported as passed.
/// </summary>
public static partial class ReleaseAuditor
{
    /// <summary>Release files other than artifacts are read whole; larger ones are refused while being read.</summary>
    public const int MaximumFileBytes = 64 << 20;

    /// <summary>A release directory with more entries than this is refused rather than listed.</summary>
    public const int MaximumEntries = 1_000_000;

    public static IReadOnlyList<CheckResult> Audit(string directory, LoadedPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Policy.Release is null || policy.Policy.Build is null)
            return [CheckResult.Malformed("release.policy", "a policy with build and release sections", $"{policy.Policy.Source} has no build or release section")];
        var root = Path.GetFullPath(directory);
        var inventory = ReleaseInventory.Take(root, MaximumEntries);
        var files = CheckFilesAreRegular(inventory);
        if (!files.Passed) return [files];

        var release = new ReleaseUnderAudit(root, policy, inventory);
        return
        [
            files,
            CheckReleaseKey(release),
            CheckPublishedPolicy(release),
            CheckPolicyFiles(release),
            .. CheckSumsAndSignatures(release),
            CheckProvenanceAndQuorum(release),
            CheckAgreedArtifacts(release),
            .. CheckAttestation(release, ReleaseLayout.ReleaseAttestation, "release.attestation", BindsRelease),
            .. CheckAttestation(release, ReleaseLayout.SourceAttestation, "source.attestation", BindsSource),
            CheckNothingUnaccounted(release),
        ];
    }

    private static CheckResult CheckFilesAreRegular(ReleaseInventory inventory)
    {
        const string Id = "release.files";
        const string Expected = "regular files and folders only";
        var odd = inventory.Special.Select(s => $"{s.Path} is {UntrustedFile.Describe(s.Type)}").ToList();
        return odd.Count == 0
            ? CheckResult.Pass(Id, Expected, "every entry is a regular file or folder (no symbolic links, FIFOs, devices or sockets)")
            : CheckResult.Fail(Id, Expected, $"{string.Join(", ", odd.Take(10))}: a release holds regular files only");
    }

    private static CheckResult CheckReleaseKey(ReleaseUnderAudit release)
    {
        const string Id = "release.key";
        const string Expected = "release.pub is the policy's release.public-key";
        var published = release.Read(ReleaseLayout.PublicKey);
        if (published is null) return CheckResult.Fail(Id, Expected, $"{ReleaseLayout.PublicKey} is missing");
        return SamePublicKey(published, release.ReleaseKey)
            ? CheckResult.Pass(Id, Expected, $"{ReleaseLayout.PublicKey} is the policy's release key ({Dsse.KeyHint(release.ReleaseKey)})")
            : CheckResult.Fail(Id, Expected, $"{ReleaseLayout.PublicKey} is not the policy's release.public-key");
    }

    private static CheckResult CheckPublishedPolicy(ReleaseUnderAudit release)
    {
        const string Id = "release.policy";
        const string Expected = "policy.yaml is the policy audited against";
        var published = release.Read(ReleaseLayout.Policy);
        if (published is null) return CheckResult.Fail(Id, Expected, $"{ReleaseLayout.Policy} is missing");
        return published.AsSpan().SequenceEqual(release.Policy.Bytes)
            ? CheckResult.Pass(Id, Expected, $"{ReleaseLayout.Policy} is the policy audited against (sha256 {release.PolicyDigest[..12]})")
            : CheckResult.Fail(Id, Expected, $"{ReleaseLayout.Policy} is NOT the policy audited against (sha256 {release.PolicyDigest[..12]})");
    }

    /// <summary>policy/ holds exactly the files the policy references, byte for byte: nothing else can hide there.</summary>
    private static CheckResult CheckPolicyFiles(ReleaseUnderAudit release)
    {
        const string Id = "release.policy-files";
        const string Expected = "policy/ holds exactly the files the policy references";
        var prefix = ReleaseLayout.PolicyFolder + "/";
        var present = release.Inventory.Files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Select(f => f[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, bytes) in release.Policy.Referenced)
        {
            if (!present.Remove(name)) problems.Add($"{prefix}{name} is missing");
            else if (!release.Read(prefix + name)!.AsSpan().SequenceEqual(bytes)) problems.Add($"{prefix}{name} differs from the policy's file");
        }
        problems.AddRange(present.Order(StringComparer.Ordinal).Select(extra => $"{prefix}{extra} is not a file the policy references"));
        return problems.Count == 0
            ? CheckResult.Pass(Id, Expected, $"{release.Policy.Referenced.Count} file(s), each the policy's")
            : CheckResult.Fail(Id, Expected, string.Join("; ", problems.Take(10)));
    }

    private static IEnumerable<CheckResult> CheckSumsAndSignatures(ReleaseUnderAudit release)
    {
        var sums = release.Sums;
        if (sums is null)
        {
            yield return CheckResult.Malformed("release.sums", "SHA256SUMS in sha256sum format, sorted, one line per artifact", release.SumsProblem!);
            yield break;
        }
        var present = sums.Keys.Where(release.Inventory.Files.Contains).ToList();
        var hashed = ArtifactHasher.HashFiles(release.Root, present).ToDictionary(h => h.Name, h => h.Sha256, StringComparer.Ordinal);
        var bad = sums.Where(s => !hashed.TryGetValue(s.Key, out var digest) || digest != s.Value)
            .Select(s => hashed.ContainsKey(s.Key) ? $"{s.Key} (digest differs)" : $"{s.Key} (missing)").ToList();
        yield return bad.Count == 0
            ? CheckResult.Pass("release.sums", "every artifact listed in SHA256SUMS, with that digest", $"{sums.Count} artifact(s) match")
            : CheckResult.Fail("release.sums", "every artifact listed in SHA256SUMS, with that digest", string.Join(", ", bad));

        var unsigned = new List<string>();
        foreach (var (name, digest) in sums)
        {
            var bundle = release.Read(name + ReleaseLayout.BundleSuffix);
            var check = bundle is null ? new BundleCheck(BundleStatus.Failed, $"{name}{ReleaseLayout.BundleSuffix} is missing")
                : BundleVerifier.VerifyMessageSignature(bundle, name + ReleaseLayout.BundleSuffix, release.ReleaseKey, Convert.FromHexString(hashed.GetValueOrDefault(name, digest)));
            if (!check.Verified) unsigned.Add(check.Message);
        }
        yield return unsigned.Count == 0
            ? CheckResult.Pass("release.artifact-signatures", "a release-key signature for every artifact", $"{sums.Count} signature(s) verify with the release key")
            : CheckResult.Fail("release.artifact-signatures", "a release-key signature for every artifact", string.Join("; ", unsigned));
    }

    private static CheckResult CheckProvenanceAndQuorum(ReleaseUnderAudit release)
    {
        var provenance = release.Provenance;
        var status = provenance.Malformed.Count > 0 ? CheckStatus.Malformed : provenance.Passed ? CheckStatus.Passed : CheckStatus.Failed;
        return new CheckResult("release.provenance", status, $"provenance from the policy's builders reaching quorum {release.Policy.Policy.Release!.Quorum}",
            string.Join("; ", [.. provenance.Malformed, .. provenance.Problems, provenance.Quorum?.Reason ?? "no quorum"]));
    }

    private static CheckResult CheckAgreedArtifacts(ReleaseUnderAudit release)
    {
        const string Id = "release.agreed-artifacts";
        const string Expected = "SHA256SUMS lists exactly the artifact set the quorum agreed on";
        if (release.Sums is not { } sums || release.Provenance.Quorum?.Agreed is not { } agreed)
            return CheckResult.Fail(Id, Expected, "not checked: SHA256SUMS or the quorum's agreed set is missing");
        var same = agreed.Count == sums.Count && agreed.All(a => sums.TryGetValue(a.Key, out var d) && d == a.Value);
        return same ? CheckResult.Pass(Id, Expected, "SHA256SUMS lists exactly the artifact set the quorum agreed on")
            : CheckResult.Fail(Id, Expected, "SHA256SUMS differs from the artifact set the builders agreed on (missing, extra or swapped artifacts)");
    }

    private static IEnumerable<CheckResult> CheckAttestation(ReleaseUnderAudit release, string name, string id,
        Func<ReleaseUnderAudit, VerificationSummaryClaims, CheckResult> binds)
    {
        var expected = $"{name} signed by the release key";
        var bytes = release.Read(name);
        if (bytes is null)
        {
            yield return CheckResult.Fail(id, expected, "missing");
            yield break;
        }
        var check = BundleVerifier.VerifyDsse(bytes, name, release.ReleaseKey, Dsse.InTotoPayloadType);
        if (!check.Verified)
        {
            yield return new CheckResult(id, check.Status == BundleStatus.Malformed ? CheckStatus.Malformed : CheckStatus.Failed, expected, check.Message);
            yield break;
        }
        var (claims, problem) = ReadSummary(check.Payload!, name);
        if (claims is null)
        {
            yield return CheckResult.Malformed(id, expected, problem!);
            yield break;
        }
        yield return CheckResult.Pass(id, expected, "signed by the release key");
        yield return binds(release, claims);
    }

    private static (VerificationSummaryClaims? Claims, string? Problem) ReadSummary(byte[] payload, string name)
    {
        try
        {
            return (InTotoStatements.ReadVerificationSummary(payload, name), null);
        }
        catch (SigstoreBundleException e)
        {
            return (null, e.Message);
        }
    }

    private static CheckResult BindsRelease(ReleaseUnderAudit release, VerificationSummaryClaims claims)
    {
        const string Id = "release.attestation-binds";
        const string Expected = "a PASSED verdict binding this policy, the provenance bundles, the artifacts and the commit";
        var problems = new List<string>();
        if (!claims.Passed) problems.Add("its result is not PASSED");
        if (claims.PolicySha256 != release.PolicyDigest) problems.Add("it binds another policy");
        if (release.Sums is { } sums && (claims.Subjects.Count != sums.Count || claims.Subjects.Any(s => !sums.TryGetValue(s.Name, out var d) || d != s.Sha256)))
            problems.Add("its subjects are not SHA256SUMS");
        var actualInputs = release.Bundles.ToDictionary(b => b.Path, b => Convert.ToHexStringLower(SHA256.HashData(b.Bytes)), StringComparer.Ordinal);
        if (claims.InputAttestations.Count != actualInputs.Count || claims.InputAttestations.Any(i => !actualInputs.TryGetValue(i.Name, out var d) || d != i.Sha256))
            problems.Add("its input attestations are not the provenance bundles published");
        if (release.Provenance.SourceCommit is { } commit && !claims.ResourceUri.EndsWith("@" + commit, StringComparison.Ordinal)) problems.Add("it names another commit than the provenance");
        return problems.Count == 0
            ? CheckResult.Pass(Id, Expected, $"{claims.ResourceUri}, policy {claims.PolicySha256[..12]}, {claims.InputAttestations.Count} provenance bundle(s), {claims.Subjects.Count} artifact(s)")
            : CheckResult.Fail(Id, Expected, string.Join("; ", problems));
    }

    private static CheckResult BindsSource(ReleaseUnderAudit release, VerificationSummaryClaims claims)
    {
        const string Id = "source.attestation-binds";
        const string Expected = "a PASSED source-gate verdict for this commit and policy";
        var matches = claims.Passed && claims.PolicySha256 == release.PolicyDigest &&
                      (release.Provenance.SourceCommit is null || claims.ResourceUri.EndsWith("@" + release.Provenance.SourceCommit, StringComparison.Ordinal));
        return matches ? CheckResult.Pass(Id, Expected, $"source gate PASSED for {claims.ResourceUri}")
            : CheckResult.Fail(Id, Expected, "the source attestation is not a PASSED verdict for this commit and policy");
    }

    /// <summary>Every file is an artifact, its signature, a provenance bundle, a policy file or the release's own; builders' folders are build output, not release.</summary>
    private static CheckResult CheckNothingUnaccounted(ReleaseUnderAudit release)
    {
        const string Id = "release.accounted";
        const string Expected = "no file the release does not account for";
        var known = new HashSet<string>(StringComparer.Ordinal) { ReleaseLayout.Sums, ReleaseLayout.ReleaseAttestation, ReleaseLayout.SourceAttestation, ReleaseLayout.PublicKey, ReleaseLayout.Policy };
        foreach (var (name, _) in release.Sums ?? []) known.UnionWith([name, name + ReleaseLayout.BundleSuffix]);
        foreach (var (name, _) in release.Bundles) known.Add(name);
        foreach (var (name, _) in release.Policy.Referenced) known.Add($"{ReleaseLayout.PolicyFolder}/{name}");
        var builderFolders = release.Policy.Policy.Builders.Select(b => b.Id + "/").ToList();
        var extra = release.Inventory.Files
            .Where(p => !known.Contains(p) && !builderFolders.Any(f => p.StartsWith(f, StringComparison.Ordinal)) && p != ReleaseLayout.DiffoscopeReport)
            .Order(StringComparer.Ordinal).ToList();
        return extra.Count == 0 ? CheckResult.Pass(Id, Expected, "every file is listed, signed, an attestation or a policy file")
            : CheckResult.Fail(Id, Expected, $"not part of the release: {string.Join(", ", extra.Take(10))}");
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
            if (!match.Success)
            {
                problem = $"malformed line '{line[..Math.Min(line.Length, 80)]}'";
                return null;
            }
            var name = match.Groups["name"].Value;
            if (ReleaseLayout.NameProblem(name) is { } unprintable)
            {
                problem = $"an artifact name the release cannot hold: {unprintable}";
                return null;
            }
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
