namespace BuildTrust.Verifiers.Commits.Reviews;

/// <summary>One maintainer's review of a commit, as counted (or refused) by the review check.</summary>
/// <param name="Kind"><c>merge</c> (a signed merge brought the commit in) or <c>note</c> (a signed approval in git notes).</param>
/// <param name="Source">The merge commit id, or the notes reference.</param>
/// <param name="Maintainer">The maintainer holding the key, when the key is in the policy.</param>
/// <param name="Counted">Whether this evidence counts toward the required reviews.</param>
/// <param name="Detail">Hardware evidence when counted; the reason when not.</param>
public sealed record ReviewEvidence(string Kind, string Source, string? Maintainer, string KeyFingerprint, bool Counted, string Detail);
