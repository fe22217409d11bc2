namespace BuildTrust.Pipeline.Adoption;

/// <summary>What <c>init</c> wrote and found.</summary>
/// <param name="PolicyFile">The policy, relative to the working tree.</param>
/// <param name="WrittenFiles">Every file written, relative to the working tree (the policy and the key files beside it).</param>
/// <param name="UnsignedCommits">How many of the recent commits looked at carry no signature.</param>
public sealed record AdoptionResult(
    string WorkTree, string PolicyFile, IReadOnlyList<string> WrittenFiles, IReadOnlyList<FoundKey> Keys, IReadOnlyList<UnlistedSigner> Unlisted,
    string Require, int Reviews, int PolicyChanges, int RecentCommits, int UnsignedCommits);
