namespace BuildTrust.Verifiers.Quorum;

/// <summary>
/// The quorum's outcome. <see cref="Agreed"/> is the artifact set at least <see cref="Required"/> builders produced
/// identically (null when none, or when two different sets both reach the quorum: then there is no single release).
/// </summary>
/// <param name="Groups">Builders grouped by identical artifact sets, largest first.</param>
public sealed record QuorumVerdict(
    int Required,
    bool Passed,
    string Reason,
    IReadOnlyDictionary<string, string>? Agreed,
    IReadOnlyList<string> AgreeingBuilders,
    IReadOnlyList<IReadOnlyList<string>> Groups,
    IReadOnlyList<ArtifactDifference> Differences);
