using BuildTrust.Cli.Rendering.Ci;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>verify-commits</c> was asked, as bound from its command line.</summary>
/// <param name="Ci">The CI renderings to write besides the text and JSON reports (none by default).</param>
public sealed record VerifyCommitsOptions(string Repository, TrustOptions Trust, string Range, bool Json, CiOutputs? Ci = null);
