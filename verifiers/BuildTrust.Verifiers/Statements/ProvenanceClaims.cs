namespace BuildTrust.Verifiers.Statements;

/// <summary>
/// What one builder attests (in-toto Statement v1, SLSA Provenance v1): it built <see cref="SourceCommit"/> of
/// <see cref="SourceRepository"/> with the recipe <see cref="RecipeDigest"/> in image <see cref="ImageDigest"/>
/// and produced <see cref="Subjects"/>.
/// </summary>
public sealed record ProvenanceClaims(
    string BuilderId,
    string InvocationId,
    DateTimeOffset StartedOn,
    DateTimeOffset FinishedOn,
    string SourceRepository,
    string SourceCommit,
    string RecipeDigest,
    string ImageReference,
    string ImageDigest,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Variations,
    IReadOnlyDictionary<string, string> BuilderFingerprint,
    IReadOnlyList<StatementSubject> Subjects);
