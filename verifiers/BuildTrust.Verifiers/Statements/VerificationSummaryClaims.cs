namespace BuildTrust.Verifiers.Statements;

/// <summary>
/// A SLSA Verification Summary (VSA v1): <see cref="VerifierId"/> checked <see cref="ResourceUri"/> against the
/// policy with digest <see cref="PolicySha256"/>, using the input attestations, with <see cref="Result"/>.
/// </summary>
public sealed record VerificationSummaryClaims(
    string VerifierId,
    DateTimeOffset TimeVerified,
    string ResourceUri,
    string PolicyUri,
    string PolicySha256,
    IReadOnlyList<StatementSubject> InputAttestations,
    bool Passed,
    IReadOnlyList<string> VerifiedLevels,
    IReadOnlyList<StatementSubject> Subjects);
