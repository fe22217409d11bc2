namespace BuildTrust.Explain.Bisection;

/// <summary>
/// The first commit on the first-parent history of GOOD..BAD whose build is no longer reproducible, its subject, every
/// commit probed, and the explanation of the first bad commit's builds. <see cref="FirstBadCommit"/> is null when BAD
/// itself builds reproducibly.
/// </summary>
public sealed record CommitBisection(string GoodCommit, string BadCommit, int CommitsInRange, string? FirstBadCommit, string? Subject,
    IReadOnlyList<CommitProbe> Probes, Explanation? Explanation);
