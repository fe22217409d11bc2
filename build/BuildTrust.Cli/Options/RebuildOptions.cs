namespace BuildTrust.Cli.Options;

/// <summary>What <c>rebuild</c> was asked: one federated builder rebuilding a release on its own engine.</summary>
/// <param name="Repository">A local repository folder or a URL to clone.</param>
/// <param name="Policy">A policy file to take the recipe from; null for the policy committed at the released commit.</param>
public sealed record RebuildOptions(string Repository, string Reference, string BuilderId, string BuilderKey, string? Endpoint, string? Tls,
    string? Policy, string Output, TimeSpan? Timeout);
