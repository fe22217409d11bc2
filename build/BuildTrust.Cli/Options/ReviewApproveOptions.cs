namespace BuildTrust.Cli.Options;

/// <summary>What <c>review approve</c> was asked: the commit, and the key when not git's own signing key.</summary>
public sealed record ReviewApproveOptions(string Repository, string Revision, string? Key);
