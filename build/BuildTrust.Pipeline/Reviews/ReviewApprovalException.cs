using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Reviews;

/// <summary>An approval that cannot be made: no signing key configured, unknown revision, ssh-keygen refused.</summary>
public sealed class ReviewApprovalException(string message) : BuildTrustException(FaultKind.BadInput, message);
