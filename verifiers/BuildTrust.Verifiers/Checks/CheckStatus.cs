namespace BuildTrust.Verifiers.Checks;

/// <summary>Ordered from best to worst, so the worst of several statuses is their maximum.</summary>
public enum CheckStatus
{
    Passed,

    /// <summary>The input is well formed and violates the policy.</summary>
    Failed,

    /// <summary>The input could not be read at all (garbage, truncated); never a pass.</summary>
    Malformed,
}
