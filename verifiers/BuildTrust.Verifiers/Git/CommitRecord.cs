namespace BuildTrust.Verifiers.Git;

/// <summary>One commit as the source gate sees it: the exact bytes that were signed and the signature itself.</summary>
/// <param name="Signature">The armored signature from the <c>gpgsig</c> header, or null for an unsigned commit.</param>
/// <param name="SignedPayload">The commit object without its signature header: what the signer signed.</param>
/// <param name="CommittedAt">The committer date. The committer chooses it: it is a claim, not a fact.</param>
/// <param name="Parents">Parent commit ids in order (the first parent first).</param>
public sealed record CommitRecord(string Id, string Summary, DateTimeOffset CommittedAt, string? Signature, byte[] SignedPayload, string? ReadError = null)
{
    public IReadOnlyList<string> Parents { get; init; } = [];

    /// <summary>The object is too damaged to tell its parents: a walk cannot go past it.</summary>
    internal bool ParentsUnknown { get; init; }
}
