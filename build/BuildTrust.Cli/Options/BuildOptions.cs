namespace BuildTrust.Cli.Options;

/// <summary>What <c>build</c> was asked.</summary>
/// <param name="Builders">Builder ids to run; empty for every builder of the policy.</param>
/// <param name="BuilderKeys"><c>ID=KEY</c> references (PEM files or pkcs11: URIs).</param>
/// <param name="Timeout">Overrides <c>build.limits.time</c> when given.</param>
public sealed record BuildOptions(string Repository, string Revision, string Output, string? Policy, IReadOnlyList<string> Builders,
    IReadOnlyList<string> BuilderKeys, string? TrustedRef, TimeSpan? Timeout);
