namespace BuildTrust.Pipeline.Reviews;

/// <summary>An approval written to the review notes: which commit, with which key.</summary>
public sealed record WrittenApproval(string CommitId, string KeyType, string KeyFingerprint, string Signature);
