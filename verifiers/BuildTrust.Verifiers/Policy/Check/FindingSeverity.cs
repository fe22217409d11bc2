namespace BuildTrust.Verifiers.Policy.Check;

public enum FindingSeverity
{
    /// <summary>The policy works as written, but something needs attention (a key about to expire, a single admin).</summary>
    Warning,

    /// <summary>A rule can never be met as written: some commits, policy changes or releases could never pass.</summary>
    NeverMet,
}
