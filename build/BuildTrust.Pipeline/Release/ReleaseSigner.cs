using System.Security.Cryptography;
using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Attestations;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;

using BuildTrust.Verifiers.Release;
using BuildTrust.Verifiers.Sigstore;

namespace BuildTrust.Pipeline.Release;

/// <summary>
/// Gated signing. Re-verifies everything itself (it never trusts a flag or a file saying a gate passed):
/// the builders' provenance and the quorum from the build folder, and the source gate over the built commit
/// in the repository; only when both pass, and the key is the policy's release key, does it write the
/// signed release into the same folder. Every check runs before the first file is written.
/// </summary>
public static class ReleaseSigner
{
    public sealed record Request(string PolicyPath, string Directory, string Repository, string? TrustRoot, string? PolicyInRepository, string KeyReference);

    public static SignOutcome VerifyAndSign(Request request, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var policyBytes = BuildOutputs.ReadRegularFile(request.PolicyPath);
        var referenced = new RecordingPolicyFiles(new DirectoryPolicyFiles(Path.GetDirectoryName(Path.GetFullPath(request.PolicyPath))!));
        var policy = PolicyLoader.Parse(policyBytes, request.PolicyPath, referenced);
        if (policy.Build is null || policy.Release is null) return Refused(true, null, $"{request.PolicyPath}: signing needs the policy's 'build' and 'release' sections");

        progress("verifying the builders' provenance and the quorum");
        var provenance = ProvenanceSet.Verify(policy, BuildOutputs.ReadProvenance(request.Directory));
        if (!provenance.Passed)
            return Refused(provenance.Malformed.Count > 0, provenance.SourceCommit, [.. provenance.Malformed, .. provenance.Problems, provenance.Quorum?.Reason ?? "no quorum"]);
        var commit = provenance.SourceCommit!;
        var quorum = provenance.Quorum!;

        progress($"verifying the source gate up to {commit[..12]}");
        var gate = SourceGateFor(request, policy, policyBytes, commit, cancellationToken);
        if (gate.Refusal is { } refusal) return Refused(false, commit, refusal);
        var summary = gate.Report!.Summary;
        if (summary.Status != CheckStatus.Passed)
        {
            var failures = gate.Report.Commits.Where(c => c.Status != CheckStatus.Passed).Take(5)
                .Select(c => $"commit {c.CommitId[..12]}: {c.FirstFailure?.Id}: {c.FirstFailure?.Actual}");
            return Refused(summary.Status == CheckStatus.Malformed, commit, [$"the source gate failed: {summary.Failed} failed, {summary.Malformed} malformed", .. failures]);
        }

        progress("checking the artifacts against the agreed digests");
        var builderIds = policy.Builders.Select(b => b.Id).ToList();
        var conflicts = quorum.Agreed!.Keys.Select(name => ReleaseLayout.Conflict(name, builderIds)).OfType<string>().ToList();
        if (conflicts.Count > 0) return Refused(false, commit, conflicts);
        var source = quorum.AgreeingBuilders[0];
        var names = quorum.Agreed.Keys.Order(StringComparer.Ordinal).ToList();
        var hashed = ArtifactHasher.HashFiles(Path.Combine(request.Directory, source, "artifacts"), names);
        var swapped = hashed.Where(h => h.Sha256 != quorum.Agreed[h.Name]).Select(h => $"{source}/artifacts/{h.Name} changed after the build (its digest is not the agreed one)").ToList();
        if (swapped.Count > 0) return Refused(false, commit, swapped);

        using var key = SigningKeys.Open(request.KeyReference, policy.Release.SigningKeyHardwareRequired);
        if (!key.SubjectPublicKeyInfo.AsSpan().SequenceEqual(policy.Release.PublicKeyDer))
            return Refused(true, commit, $"the key {key.Description} is not the policy's release key (release.public-key)");

        // Every path is checked before the first file is written, so a refusal leaves the folder as it was.
        IEnumerable<string> planned = [.. names, .. names.Select(n => n + ReleaseLayout.BundleSuffix), ReleaseLayout.Sums, ReleaseLayout.SourceAttestation,
            ReleaseLayout.ReleaseAttestation, ReleaseLayout.Policy, ReleaseLayout.PublicKey,
            .. provenance.Accepted.Select(a => $"{ReleaseLayout.ProvenanceFolder}/{a.Claims.BuilderId}{ReleaseLayout.BundleSuffix}"),
            .. referenced.Referenced.Keys.Select(r => $"{ReleaseLayout.PolicyFolder}/{r}")];
        var unsafePaths = planned.Select(p => UnsafePath(request.Directory, p)).OfType<string>().ToList();
        if (unsafePaths.Count > 0) return Refused(true, commit, unsafePaths);

        progress($"signing {names.Count} artifact(s) with {key.Description}");
        var written = new List<string>();
        void Write(string relative, byte[] bytes)
        {
            using (var file = CreateInRelease(request.Directory, relative)) file.Write(bytes);
            written.Add(relative);
        }
        foreach (var name in names)
        {
            using (var target = CreateInRelease(request.Directory, name))
            using (var artifact = new FileStream(Path.Combine(request.Directory, source, "artifacts", name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            {
                artifact.CopyTo(target);
            }
            if (ArtifactHasher.HashFile(Path.Combine(request.Directory, name)) != quorum.Agreed[name]) throw new IOException($"{name} changed while it was copied");
            written.Add(name);
            Write(name + ReleaseLayout.BundleSuffix, BundleWriter.WriteMessageSignature(Convert.FromHexString(quorum.Agreed[name]), key));
        }
        Write(ReleaseLayout.Sums, System.Text.Encoding.UTF8.GetBytes(ReleaseLayout.SumsText(quorum.Agreed)));
        var inputs = new List<StatementSubject>();
        foreach (var bundle in provenance.Accepted.OrderBy(a => a.Claims.BuilderId, StringComparer.Ordinal))
        {
            var relative = $"{ReleaseLayout.ProvenanceFolder}/{bundle.Claims.BuilderId}{ReleaseLayout.BundleSuffix}";
            Write(relative, bundle.Bytes);
            inputs.Add(new StatementSubject(relative, bundle.BundleSha256));
        }
        var policyDigest = Convert.ToHexStringLower(SHA256.HashData(policyBytes));
        var resource = $"git+{provenance.Accepted[0].Claims.SourceRepository}@{commit}";
        var now = DateTimeOffset.UtcNow;
        var sourceStatement = InTotoStatements.WriteVerificationSummary(new VerificationSummaryClaims(ReleaseLayout.SourceVerifier, now, resource,
            ReleaseLayout.Policy, policyDigest, [], true, [gate.TrustRoot is null ? "BUILDTRUST_SOURCE_GATE" : "BUILDTRUST_SOURCE_GATE_FROM_TRUST_ROOT"],
            [new StatementSubject($"commit/{commit}", CommitDigest.Sha256(request.Repository, commit))]));
        Write(ReleaseLayout.SourceAttestation, BundleWriter.WriteDsse(sourceStatement, Dsse.InTotoPayloadType, key));
        var releaseStatement = InTotoStatements.WriteVerificationSummary(new VerificationSummaryClaims(ReleaseLayout.ReleaseVerifier, now, resource,
            ReleaseLayout.Policy, policyDigest, inputs, true, ["BUILDTRUST_SOURCE_GATE", $"BUILDTRUST_REBUILD_QUORUM_{quorum.AgreeingBuilders.Count}_OF_{provenance.Accepted.Count}"],
            [.. names.Select(n => new StatementSubject(n, quorum.Agreed[n]))]));
        Write(ReleaseLayout.ReleaseAttestation, BundleWriter.WriteDsse(releaseStatement, Dsse.InTotoPayloadType, key));
        Write(ReleaseLayout.Policy, policyBytes);
        // The files the policy names (public keys, attestation roots), so the published policy.yaml loads from the release alone.
        foreach (var (relative, bytes) in referenced.Referenced) Write($"{ReleaseLayout.PolicyFolder}/{relative}", bytes);
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            Write(ReleaseLayout.PublicKey, System.Text.Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem() + "\n"));
        }
        return new SignOutcome(true, false, [], written, commit);
    }

    /// <summary>
    /// A new file at <paramref name="relative"/> under the release folder: no folder on the way may be a symbolic link, and an
    /// existing entry (file or link) is replaced, never written through, so nothing outside the folder can be overwritten.
    /// </summary>
    private static FileStream CreateInRelease(string directory, string relative)
    {
        if (UnsafePath(directory, relative) is { } problem) throw new IOException(problem);
        var target = Path.Combine(Path.GetFullPath(directory), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (new FileInfo(target).LinkTarget is not null || File.Exists(target)) File.Delete(target);
        return new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    /// <summary>Why <paramref name="relative"/> cannot be written safely (a symbolic link or a file on the way, a folder in its place), or null.</summary>
    private static string? UnsafePath(string directory, string relative)
    {
        var current = Path.GetFullPath(directory);
        var parts = relative.Split('/');
        foreach (var part in parts[..^1])
        {
            current = Path.Combine(current, part);
            if (new DirectoryInfo(current).LinkTarget is not null || File.Exists(current))
                return $"{current} is a symbolic link or a file; refusing to write the release through it";
        }
        var target = Path.Combine(current, parts[^1]);
        return Directory.Exists(target) && new DirectoryInfo(target).LinkTarget is null ? $"{target} is a folder; refusing to replace it" : null;
    }

    private sealed record GateRun(SourceGateReport? Report, string? TrustRoot, IReadOnlyList<string>? Refusal);

    private static GateRun SourceGateFor(Request request, ReleasePolicy policy, byte[] policyBytes, string commit, CancellationToken cancellationToken)
    {
        if (request.TrustRoot is null) return new GateRun(SourceGate.Verify(request.Repository, new CommitRange(null, commit), policy, cancellationToken), null, null);
        // From a trust root the repository's own policy decides; the file given must be that policy at the built commit.
        var inRepository = request.PolicyInRepository ?? "policies/release.yaml";
        var atCommit = PolicyAt(request.Repository, commit, inRepository);
        if (atCommit is null || !atCommit.AsSpan().SequenceEqual(policyBytes))
            return new GateRun(null, request.TrustRoot, [$"{request.PolicyPath} is not the repository's {inRepository} at {commit[..12]}; from a trust root, the release is judged by the repository's policy"]);
        return new GateRun(SourceGate.VerifyFromTrustRoot(request.Repository, new CommitRange(request.TrustRoot, commit), request.TrustRoot, inRepository, cancellationToken), request.TrustRoot, null);
    }

    private static byte[]? PolicyAt(string repositoryPath, string commit, string path)
    {
        using var repository = new LibGit2Sharp.Repository(repositoryPath);
        return (repository.Lookup(commit) as LibGit2Sharp.Commit)?[path]?.Target is LibGit2Sharp.Blob blob ? ReadAll(blob) : null;
    }

    private static byte[] ReadAll(LibGit2Sharp.Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static SignOutcome Refused(bool malformed, string? commit, params IReadOnlyList<string> reasons) => new(false, malformed, reasons, [], commit);
}
