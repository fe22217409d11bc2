namespace BuildTrust.Verifiers.Git;

/// <summary>A range that cannot be resolved: unknown revision, not a commit, unreadable repository.</summary>
public sealed class CommitRangeException(string message) : BuildTrustException(FaultKind.BadInput, message);
