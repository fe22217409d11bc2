namespace BuildTrust.Pipeline.Release;

/// <summary>What <see cref="ReleaseSigner"/> did: signed (with the files written), or refused with the reasons and nothing written.</summary>
public sealed record SignOutcome(bool Signed, bool MalformedInput, IReadOnlyList<string> Reasons, IReadOnlyList<string> Written, string? Commit);
