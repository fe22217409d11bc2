using System.Security.Cryptography;
using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Artifacts;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Release;
using BuildTrust.Verifiers.Statements.Sigstore;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Pipeline.Release;

/// <summary>
/// Gated signing: <see cref="ReleaseDecision"/> decides from the build folder and the repository alone; only when it passes,
/// and the key is the policy's release key, is the signed release written into the same folder, all at once
/// (<see cref="ReleaseStaging"/>): a refusal or a fault leaves the folder as it was.
/// </summary>
public static class ReleaseSigner
{
    /// <param name="Anchor">Where the policy's authority comes from; an unauthenticated policy is refused.</param>
    /// <param name="KeyReference">The release key (a <c>pkcs11:</c> URI or a PEM file); default: the trusted ref's ReleaseKey, else <c>release.signing-key</c>.</param>
    public sealed record Request(string Directory, string Repository, TrustAnchor Anchor, string? KeyReference, ProvenanceOrigins? Origins = null);

    public static SignOutcome VerifyAndSign(Request request, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(progress);
        var verdict = ReleaseDecision.Decide(new ReleaseDecision.Request(request.Directory, request.Repository, request.Anchor, request.Origins), progress, cancellationToken);
        if (!verdict.Passed) return Refused(verdict.Malformed, verdict.Commit, [.. verdict.Checks.Where(c => !c.Passed).Select(c => c.Actual)]);
        var (commit, loaded, provenance, source) = (verdict.Commit!, verdict.Policy!, verdict.Provenance!, verdict.AgreeingBuilder!);
        var policy = loaded.Policy;
        var agreed = provenance.Quorum!.Agreed!;
        var names = agreed.Keys.Order(StringComparer.Ordinal).ToList();

        IReadOnlyList<string> planned = [.. names, .. names.Select(n => n + ReleaseLayout.BundleSuffix), ReleaseLayout.Sums, ReleaseLayout.SourceAttestation,
            ReleaseLayout.ReleaseAttestation, ReleaseLayout.Policy, ReleaseLayout.PublicKey, ReleaseLayout.ProvenanceFolder, ReleaseLayout.PolicyFolder];
        var inTheWay = ReleaseStaging.InTheWay(request.Directory, planned);
        if (inTheWay.Count > 0) return Refused(true, commit, inTheWay);

        var reference = request.KeyReference ?? request.Anchor.Parameters.ReleaseKey ?? policy.Release!.SigningKey;
        using var key = SigningKeys.Open(reference, policy.Release!.SigningKeyHardwareRequired);
        if (!key.SubjectPublicKeyInfo.AsSpan().SequenceEqual(policy.Release.PublicKeyDer))
            return Refused(true, commit, $"the key {key.Description} is not the policy's release key (release.public-key)");

        cancellationToken.ThrowIfCancellationRequested();
        progress($"signing {names.Count} artifact(s) with {key.Description}");
        using var staging = ReleaseStaging.Begin(request.Directory);
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var target = staging.Create(name))
            using (var artifact = new FileStream(Path.Combine(BuildFolder.Artifacts(request.Directory, source), name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            {
                artifact.CopyTo(target);
                target.Flush(flushToDisk: true);
            }
            if (ArtifactHasher.HashFile(staging.PathOf(name)) != agreed[name]) throw new IOException($"{name} changed while it was copied");
            staging.Write(name + ReleaseLayout.BundleSuffix, BundleWriter.WriteMessageSignature(Convert.FromHexString(agreed[name]), key));
        }
        staging.Write(ReleaseLayout.Sums, System.Text.Encoding.UTF8.GetBytes(ReleaseLayout.SumsText(agreed)));
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
        var fromTrustRoot = request.Anchor.Authority == PolicyAuthority.History;
        var sourceStatement = InTotoStatements.WriteVerificationSummary(new VerificationSummaryClaims(ReleaseLayout.SourceVerifier, now, resource,
            ReleaseLayout.Policy, policyDigest, [], true, [fromTrustRoot ? "BUILDTRUST_SOURCE_GATE_FROM_TRUST_ROOT" : "BUILDTRUST_SOURCE_GATE"],
            [new StatementSubject($"commit/{commit}", CommitDigest.Sha256(request.Repository, commit))]));
        staging.Write(ReleaseLayout.SourceAttestation, BundleWriter.WriteDsse(sourceStatement, Dsse.InTotoPayloadType, key));
        var releaseStatement = InTotoStatements.WriteVerificationSummary(new VerificationSummaryClaims(ReleaseLayout.ReleaseVerifier, now, resource,
            ReleaseLayout.Policy, policyDigest, inputs, true, ["BUILDTRUST_SOURCE_GATE", $"BUILDTRUST_REBUILD_QUORUM_{provenance.Quorum.AgreeingBuilders.Count}_OF_{provenance.Accepted.Count}"],
            [.. names.Select(n => new StatementSubject(n, agreed[n]))]));
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
