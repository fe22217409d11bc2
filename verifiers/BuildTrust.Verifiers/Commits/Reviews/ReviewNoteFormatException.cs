namespace BuildTrust.Verifiers.Commits.Reviews;

/// <summary>A review note that is not only armored SSH or OpenPGP signatures.</summary>
public sealed class ReviewNoteFormatException(string message) : BuildTrustException(FaultKind.BadInput, message);
