namespace BuildTrust.Verifiers.Imports;

/// <summary>Everything an import evaluated: the format, the quorum asked for, every group in order, and the problems that are no one attestation's.</summary>
public sealed record ImportReport(string Format, int Quorum, IReadOnlyList<ImportedGroup> Groups, IReadOnlyList<string> Problems)
{
    /// <summary>Every group reaches the quorum with a single digest set, and nothing else went wrong.</summary>
    public bool Passed => Problems.Count == 0 && Groups.Count > 0 && Groups.All(g => g.Quorum.Passed);
}
