using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures;

namespace BuildTrust.Verifiers.Commits.Reviews;

/// <summary>
/// Turns review evidence (approval notes and signed merges) into <see cref="ReviewEvidence"/> judged under
/// one policy: the key must be in that policy, the approval must verify over this commit's record in the
/// review namespace, and satisfy the policy's hardware rule. Role and author rules are applied by callers.
/// </summary>
internal static class ReviewCollector
{
    public static ReviewEvidence FromApproval(ReleasePolicy policy, string commitId, DateTimeOffset committedAt, string approval)
    {
        const string Kind = "note";
        var outcome = SignatureChecker.Check(policy, approval, ReviewApproval.Record(commitId), ReviewApproval.Namespace);
        var fingerprint = outcome.KeyFingerprint ?? "unknown";
        if (outcome.Maintainer is null || outcome.Key is null)
            return new ReviewEvidence(Kind, ReviewApproval.NotesReference, null, fingerprint, false, $"approval by a key that is not in the policy in force ({outcome.Failure?.Actual})");
        var maintainer = outcome.Maintainer;
        if (!outcome.Verified)
            return new ReviewEvidence(Kind, ReviewApproval.NotesReference, maintainer.Id, fingerprint, false, $"approval does not verify for this commit: {outcome.Failure!.Actual}");
        if (KeyValidity.Until(maintainer, outcome.Key) is { } until && DateOnly.FromDateTime(committedAt.UtcDateTime) > until)
            return new ReviewEvidence(Kind, ReviewApproval.NotesReference, maintainer.Id, fingerprint, false, $"key of '{maintainer.Id}' expired on {until:yyyy-MM-dd}");
        var (hardware, evidence) = HardwareRule.Evaluate(policy.Commits, outcome.Key, outcome.SecurityKey, outcome.KeyFingerprint);
        return hardware.Passed
            ? new ReviewEvidence(Kind, ReviewApproval.NotesReference, maintainer.Id, fingerprint, true, evidence)
            : new ReviewEvidence(Kind, ReviewApproval.NotesReference, maintainer.Id, fingerprint, false, hardware.Actual);
    }

    /// <summary>A merge whose own signature passed brings this commit in; its signer's key must be in this policy.</summary>
    public static ReviewEvidence FromMerge(ReleasePolicy policy, string mergeId, string signerKeyFingerprint, string mergeHardwareEvidence)
    {
        var fingerprint = signerKeyFingerprint;
        return policy.TryFindKeyByFingerprint(signerKeyFingerprint, out var maintainer, out _)
            ? new ReviewEvidence("merge", mergeId, maintainer.Id, fingerprint, true, mergeHardwareEvidence)
            : new ReviewEvidence("merge", mergeId, null, fingerprint, false, "merge signed by a key that is not in the policy in force for this commit");
    }

    /// <summary>
    /// Applies the role and distinctness rules: counted reviewers hold <paramref name="role"/>, are not
    /// <paramref name="excluded"/> (the author, for reviews), and are counted once per maintainer whatever
    /// the number of their keys or approvals.
    /// </summary>
    public static (IReadOnlyList<ReviewEvidence> Evidence, int Distinct) Count(ReleasePolicy policy, IEnumerable<ReviewEvidence> evidence, MaintainerRole role, string? excluded)
    {
        var counted = new HashSet<string>(StringComparer.Ordinal);
        var judged = new List<ReviewEvidence>();
        foreach (var item in evidence)
        {
            if (!item.Counted || item.Maintainer is null)
            {
                judged.Add(item);
                continue;
            }
            var maintainer = policy.Maintainers.First(m => m.Id == item.Maintainer);
            if (item.Maintainer == excluded)
                judged.Add(item with { Counted = false, Detail = $"self-approval: '{item.Maintainer}' is the author" });
            else if (!maintainer.Has(role))
                judged.Add(item with { Counted = false, Detail = $"'{item.Maintainer}' does not hold the role '{RoleName(role)}'" });
            else if (!counted.Add(item.Maintainer))
                judged.Add(item with { Counted = false, Detail = $"'{item.Maintainer}' is already counted (one maintainer counts once, whatever their keys)" });
            else
                judged.Add(item);
        }
        return (judged, counted.Count);
    }

    public static string RoleName(MaintainerRole role) => role switch
    {
        MaintainerRole.Author => "author",
        MaintainerRole.Reviewer => "reviewer",
        _ => "policy-admin",
    };
}
