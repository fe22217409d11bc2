namespace BuildTrust.Explain.Bisection;

/// <summary>One commit built by every bisection builder: whether they agreed, and which artifacts differed.</summary>
public sealed record CommitProbe(string CommitId, bool Reproducible, IReadOnlyList<string> DifferingArtifacts);
