namespace BuildTrust.Verifiers.Policy;

/// <summary>The last day a key may sign: the earlier of its own and its maintainer's <c>valid-until</c>.</summary>
public static class KeyValidity
{
    public static DateOnly? Until(Maintainer maintainer, MaintainerKey key) => (maintainer.ValidUntil, key.ValidUntil) switch
    {
        ({ } m, { } k) => m < k ? m : k,
        var (m, k) => m ?? k,
    };
}
