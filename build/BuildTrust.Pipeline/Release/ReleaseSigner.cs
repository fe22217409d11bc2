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
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Pipeline.Release;

/// <summary>
/// Gated signing. Re-verifies everything itself (it never trusts a flag or a file saying a gate passed): the policy's
/// authority, the builders' provenance and the quorum from the build folder, and the source gate over the built commit in
/// the repository; only when all pass, and the key is the policy's release key, does it write the signed release into the
/// same folder, all at once (<see cref="ReleaseStaging"/>): a refusal or a fault leaves the folder as it was.
/// </summary>
public static class ReleaseSigner
{
    /// <param name="Anchor">Where the policy's authority comes from; an unauthenticated policy is refused.</param>
    /// <param name="KeyReference">The release key (a <c>pkcs11:</c> URI or a PEM file); default: the trusted ref's ReleaseKey, else <c>release.signing-key</c>.</param>
    public sealed record Request(string Directory, string Repository, TrustAnchor Anchor, string? KeyReference);

    public static SignOutcome VerifyAndSign(Request request, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var anchor = request.Anchor;
        if (!anchor.Authenticated)
            return Refused(true, null, $"the policy is NOT authenticated ({anchor.Origin}); signing needs an authenticated policy: {TrustAnchor.Remedy}");

        var bundles = BuildOutputs.ReadProvenance(request.Directory);
        string? claimed = null;
        LoadedPolicy loaded;
        if (anchor.Authority == PolicyAuthority.History)
        {
            // The commit the bundles name only selects which committed policy to load; that policy must then verify the bundles,
            // and the source gate from the trust root must authenticate it.
            claimed = ProvenanceSet.ClaimedCommit(bundles);
            if (claimed is null) return Refused(false, null, "no provenance bundle names the commit that was built");
            loaded = RepositoryPolicy.LoadAt(request.Repository, claimed, anchor.PolicyPath);
        }
        else
        {
            loaded = LoadedPolicy.FromFile(anchor.PolicyPath);
        }
        var policy = loaded.Policy;
        if (policy.Build is null || policy.Release is null) return Refused(true, null, $"{policy.Source}: signing needs the policy's 'build' and 'release' sections");

        progress("verifying the builders' provenance and the quorum");
        var provenance = ProvenanceSet.Verify(policy, bundles);
        if (!provenance.Passed)
            return Refused(provenance.Malformed.Count > 0, provenance.SourceCommit, [.. provenance.Malformed, .. provenance.Problems, provenance.Quorum?.Reason ?? "no quorum"]);
        var commit = provenance.SourceCommit!;
        if (claimed is not null && commit != claimed)
            return Refused(false, commit, $"the accepted provenance built {commit[..12]}, not {claimed[..12]} whose policy was loaded");
        var quorum = provenance.Quorum!;

        cancellationToken.ThrowIfCancellationRequested();
        progress($"verifying the source gate up to {commit[..12]}");
        var gate = anchor.Authority == PolicyAuthority.History
            ? SourceGate.VerifyFromTrustRoot(request.Repository, new CommitRange(anchor.TrustRoot, commit), anchor.TrustRoot!, anchor.PolicyPath, cancellationToken)
            : SourceGate.Verify(request.Repository, new CommitRange(null, commit), policy, cancellationToken);
        if (gate.Summary.Status != CheckStatus.Passed)
        {
            var failures = gate.Commits.Where(c => c.Status != CheckStatus.Passed).Take(5)
                .Select(c => $"commit {c.CommitId[..12]}: {c.FirstFailure?.Id}: {c.FirstFailure?.Actual}");
            return Refused(false, commit, [$"the source gate failed: {gate.Summary.Failed} failed, {gate.Summary.Malformed} malformed", .. failures]);
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

        IReadOnlyList<string> planned = [.. names, .. names.Select(n => n + ReleaseLayout.BundleSuffix), ReleaseLayout.Sums, ReleaseLayout.SourceAttestation,
            ReleaseLayout.ReleaseAttestation, ReleaseLayout.Policy, ReleaseLayout.PublicKey, ReleaseLayout.ProvenanceFolder, ReleaseLayout.PolicyFolder];
        var inTheWay = ReleaseStaging.InTheWay(request.Directory, planned);
        if (inTheWay.Count > 0) return Refused(true, commit, inTheWay);

        var reference = request.KeyReference ?? anchor.Parameters.ReleaseKey ?? policy.Release.SigningKey;
        using var key = SigningKeys.Open(reference, policy.Release.SigningKeyHardwareRequired);
        if (!key.SubjectPublicKeyInfo.AsSpan().SequenceEqual(policy.Release.PublicKeyDer))
            return Refused(true, commit, $"the key {key.Description} is not the policy's release key (release.public-key)");

        cancellationToken.ThrowIfCancellationRequested();
        progress($"signing {names.Count} artifact(s) with {key.Description}");
        using var staging = ReleaseStaging.Begin(request.Directory);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var target = staging.Create(name))
            using (var artifact = new FileStream(Path.Combine(request.Directory, source, "artifacts", name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            {
                artifact.CopyTo(target);
                target.Flush(flushToDisk: true);
            }
            if (ArtifactHasher.HashFile(staging.PathOf(name)) != quorum.Agreed[name]) throw new IOException($"{name} changed while it was copied");
            staging.Write(name + ReleaseLayout.BundleSuffix, BundleWriter.WriteMessageSignature(Convert.FromHexString(quorum.Agreed[name]), key));
        }
        staging.Write(ReleaseLayout.Sums, System.Text.Encoding.UTF8.GetBytes(ReleaseLayout.SumsText(quorum.Agreed)));
        var inputs = new List<StatementSubject>();
        foreach (var bundle in provenance.Accepted.OrderBy(a => a.Claims.BuilderId, StringComparer.Ordinal))
        {
            var relative = $"{ReleaseLayout.ProvenanceFolder}/{bundle.Claims.BuilderId}{ReleaseLayout.BundleSuffix}";
            staging.Write(relative, bundle.Bytes);
            inputs.Add(new StatementSubject(relative, bundle.BundleSha256));
        }
        var policyDigest = Convert.ToHexStringLower(SHA256.HashData(loaded.Bytes));
        var resource = $"git+{provenance.Accepted[0].Claims.SourceRepository}@{commit}";
        var now = DateTimeOffset.UtcNow;
        var fromTrustRoot = anchor.Authority == PolicyAuthority.History;
        var sourceStatement = InTotoStatements.WriteVerificationSummary(new VerificationSummaryClaims(ReleaseLayout.SourceVerifier, now, resource,
            ReleaseLayout.Policy, policyDigest, [], true, [fromTrustRoot ? "BUILDTRUST_SOURCE_GATE_FROM_TRUST_ROOT" : "BUILDTRUST_SOURCE_GATE"],
            [new StatementSubject($"commit/{commit}", CommitDigest.Sha256(request.Repository, commit))]));
        staging.Write(ReleaseLayout.SourceAttestation, BundleWriter.WriteDsse(sourceStatement, Dsse.InTotoPayloadType, key));
        var releaseStatement = InTotoStatements.WriteVerificationSummary(new VerificationSummaryClaims(ReleaseLayout.ReleaseVerifier, now, resource,
            ReleaseLayout.Policy, policyDigest, inputs, true, ["BUILDTRUST_SOURCE_GATE", $"BUILDTRUST_REBUILD_QUORUM_{quorum.AgreeingBuilders.Count}_OF_{provenance.Accepted.Count}"],
            [.. names.Select(n => new StatementSubject(n, quorum.Agreed[n]))]));
        staging.Write(ReleaseLayout.ReleaseAttestation, BundleWriter.WriteDsse(releaseStatement, Dsse.InTotoPayloadType, key));
        staging.Write(ReleaseLayout.Policy, loaded.Bytes);
        // The files the policy names (public keys, attestation roots), so the published policy.yaml loads from the release alone.
        foreach (var (relative, bytes) in loaded.Referenced) staging.Write($"{ReleaseLayout.PolicyFolder}/{relative}", bytes);
        using (var ecdsa = ECDsa.Create())
        {
            ecdsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
            staging.Write(ReleaseLayout.PublicKey, System.Text.Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem() + "\n"));
        }
        cancellationToken.ThrowIfCancellationRequested();
        var written = staging.Written.ToList();
        staging.Commit();
        return new SignOutcome(true, false, [], written, commit);
    }

    private static SignOutcome Refused(bool malformed, string? commit, params IReadOnlyList<string> reasons) => new(false, malformed, reasons, [], commit);
}
