using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>policy check</c> was asked: a policy file on disk, or the policy as authenticated in a repository.</summary>
/// <param name="Repository">The repository, when the policy is read as authenticated at a revision; null for a file on disk.</param>
/// <param name="Trust">With a repository: the trust root or trusted ref, and the policy's path in its commits. Without: <c>Policy</c> is the file.</param>
public sealed record PolicyCheckOptions(string? Repository, TrustOptions Trust, bool Json, DateOnly Today);
