using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>sign</c> was asked.</summary>
public sealed record SignOptions(string Directory, string Repository, TrustOptions Trust, string? ReleaseKey, Verifiers.Release.ProvenanceOrigins? Origins = null);
