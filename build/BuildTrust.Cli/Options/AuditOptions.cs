using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>audit</c> was asked.</summary>
public sealed record AuditOptions(string Directory, string? Repository, TrustOptions Trust, bool Rebuild, string? Endpoint, bool Json, Verifiers.Release.ProvenanceOrigins? Sigs = null);
