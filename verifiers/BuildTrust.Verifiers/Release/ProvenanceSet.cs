using System.Security.Cryptography;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Quorum;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// Verifies the builders' provenance bundles of one release against the policy: each must be signed by a
/// builder key of the policy and claim that builder's id; one bundle per builder; all must have built the
/// same commit with the policy's recipe and pinned image. Then evaluates <c>release.quorum</c> on the
/// artifact sets they attest.
/// </summary>
public static class ProvenanceSet
{
    /// <summary>
    /// The commit the first readable bundle claims to have built, unverified: it may only select which policy to load, which
    /// must then verify every bundle (and the commit they agree on) itself.
    /// </summary>
    public static string? ClaimedCommit(IReadOnlyList<(string Path, byte[] Bytes)> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        foreach (var (path, bytes) in bundles)
        {
            try
            {
                if (SigstoreBundleReader.Parse(bytes, path).Dsse is { } dsse) return InTotoStatements.ReadProvenance(dsse.Payload, path).SourceCommit;
            }
            catch (SigstoreBundleException)
            {
            }
        }
        return null;
    }

    /// <summary>Fingerprint keys a builder records about its engine (see the pipeline's builder fingerprint).</summary>
    public const string EngineIdKey = "engine-id", EngineHostKey = "engine-host";

    private static BuilderIdentity IdentityOf(ProvenanceClaims claims, ReleasePolicy policy) => new(
        claims.BuilderFingerprint.TryGetValue(EngineIdKey, out var engine) && engine.Length > 0 ? engine : null,
        claims.BuilderFingerprint.TryGetValue(EngineHostKey, out var host) && host.Length > 0 ? host : null,
        policy.Builders.FirstOrDefault(b => b.Id == claims.BuilderId)?.Operator);

    /// <param name="gatheringProblems">What was refused while the bundles were gathered (a sigs repository commit not signed by its builder): refusals too.</param>
    public static ProvenanceSetResult Verify(ReleasePolicy policy, IReadOnlyList<(string Path, byte[] Bytes)> bundles, IReadOnlyList<string>? gatheringProblems = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(bundles);
        var recipe = policy.Build ?? throw new ArgumentException("the policy has no build section", nameof(policy));
        var quorum = policy.Release?.Quorum ?? throw new ArgumentException("the policy has no release section", nameof(policy));
        var problems = new List<string>(gatheringProblems ?? []);
        var malformed = new List<string>();
        var accepted = new List<VerifiedProvenance>();
        var byHint = policy.Builders.ToDictionary(b => Dsse.KeyHint(b.PublicKeyDer), StringComparer.Ordinal);
        foreach (var (path, bytes) in bundles)
        {
            SigstoreBundle bundle;
            try
            {
                bundle = SigstoreBundleReader.Parse(bytes, path);
            }
            catch (SigstoreBundleException e)
            {
                malformed.Add(e.Message);
                continue;
            }
            if (!byHint.TryGetValue(bundle.PublicKeyHint, out var builder))
            {
                problems.Add($"{path}: signed by a key that is not a builder key in the policy (hint {bundle.PublicKeyHint})");
                continue;
            }
            var check = BundleVerifier.VerifyDsse(bytes, path, builder.PublicKeyDer, Dsse.InTotoPayloadType);
            if (check.Status == BundleStatus.Malformed) malformed.Add(check.Message);
            if (!check.Verified)
            {
                if (check.Status == BundleStatus.Failed) problems.Add(check.Message);
                continue;
            }
            ProvenanceClaims claims;
            try
            {
                claims = InTotoStatements.ReadProvenance(check.Payload!, path);
            }
            catch (SigstoreBundleException e)
            {
                malformed.Add(e.Message);
                continue;
            }
            if (claims.BuilderId != builder.Id)
            {
                problems.Add($"{path}: signed with builder '{builder.Id}''s key but claims to be builder '{claims.BuilderId}'");
                continue;
            }
            if (accepted.Any(a => a.Claims.BuilderId == builder.Id))
            {
                problems.Add($"{path}: a second bundle of builder '{builder.Id}'; each builder counts once");
                continue;
            }
            if (claims.RecipeDigest != recipe.Digest())
                problems.Add($"{path}: builder '{builder.Id}' ran another recipe (digest {claims.RecipeDigest[..12]}, the policy's is {recipe.Digest()[..12]})");
            if (claims.ImageReference != recipe.Image.ToString() || (recipe.Image.Repository is null && claims.ImageDigest != recipe.Image.Digest))
                problems.Add($"{path}: builder '{builder.Id}' ran image {claims.ImageReference} ({claims.ImageDigest}), not the pinned {recipe.Image}");
            accepted.Add(new VerifiedProvenance(path, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), claims));
        }
        var commits = accepted.Select(a => a.Claims.SourceCommit).Distinct(StringComparer.Ordinal).ToList();
        if (commits.Count > 1)
            problems.Add($"the bundles disagree on the source commit: {string.Join(", ", accepted.Select(a => $"{a.Claims.BuilderId} built {a.Claims.SourceCommit[..12]}"))}");
        if (accepted.Count == 0 && problems.Count == 0 && malformed.Count == 0) problems.Add("no provenance bundles were found");
        var sets = accepted.Select(a => new BuilderArtifactSet(a.Claims.BuilderId, a.Claims.Subjects.ToDictionary(s => s.Name, s => s.Sha256, StringComparer.Ordinal),
            IdentityOf(a.Claims, policy))).ToList();
        var verdict = sets.Count > 0 ? QuorumEvaluator.Evaluate(sets, quorum, policy.Release!.Independence) : null;
        return new ProvenanceSetResult(accepted, problems, malformed, verdict);
    }
}
