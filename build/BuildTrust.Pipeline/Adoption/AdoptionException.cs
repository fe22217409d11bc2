using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Adoption;

/// <summary>Nothing to scaffold, a policy already there, or a key given that cannot be used: bad input.</summary>
public sealed class AdoptionException(string message) : BuildTrustException(FaultKind.BadInput, message);
