namespace BuildTrust.Verifiers.Git;

/// <summary>A revision range with git's meaning: <c>A..B</c> is every commit reachable from B and not from A; <c>B</c> alone is all of B's history.</summary>
public sealed record CommitRange(string? Exclude, string Include)
{
    public static CommitRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains("...", StringComparison.Ordinal))
            throw new CommitRangeException($"'{text}': symmetric ranges (A...B) are not supported; use A..B");
        var parts = text.Split("..");
        return parts switch
        {
            [var include] when include.Length > 0 => new CommitRange(null, include),
            [var exclude, var include] when exclude.Length > 0 && include.Length > 0 => new CommitRange(exclude, include),
            _ => throw new CommitRangeException($"'{text}' is not a revision range; write A..B or a single revision"),
        };
    }

    public override string ToString() => Exclude is null ? Include : $"{Exclude}..{Include}";
}
