using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>release</c> was asked.</summary>
public sealed record ReleaseOptions(string Repository, string Reference, string Output, TrustOptions Trust, IReadOnlyList<string> BuilderKeys, string? ReleaseKey);
