using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>verify-commits</c> was asked, as bound from its command line.</summary>
public sealed record VerifyCommitsOptions(string Repository, TrustOptions Trust, string Range, bool Json);
