using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>release</c> was asked.</summary>
/// <param name="Builders">The builders to run here (default: every builder with an endpoint); federated ones come from <paramref name="Origins"/>.</param>
public sealed record ReleaseOptions(string Repository, string Reference, string Output, TrustOptions Trust, IReadOnlyList<string> BuilderKeys, string? ReleaseKey,
    IReadOnlyList<string>? Builders = null, Verifiers.Release.ProvenanceOrigins? Origins = null);
