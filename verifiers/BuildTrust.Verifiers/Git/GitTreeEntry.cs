namespace BuildTrust.Verifiers.Git;

/// <summary>One entry of a commit's tree: its path (with '/'), what it is, and its object id.</summary>
public sealed record GitTreeEntry(string Path, GitEntryKind Kind, string ObjectId);
