using BuildTrust.Pipeline.Adoption;

namespace BuildTrust.Cli.Options;

/// <summary>What <c>init</c> was asked, as bound from its command line.</summary>
public sealed record InitOptions(AdoptionRequest Request, bool Json);
