namespace BuildTrust.Cli;

/// <summary>The exit codes of the command-line contract (DESIGN.md). Scripts and CI depend on them.</summary>
public static class ExitCodes
{
    /// <summary>Every check passed.</summary>
    public const int Passed = 0;

    /// <summary>Verification failed: the input is readable and violates the policy.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Bad input or usage: unreadable policy, unknown revision, malformed file or signature.</summary>
    public const int BadInput = 2;

    /// <summary>Infrastructure unavailable: no Docker engine, no token, a native library missing.</summary>
    public const int InfrastructureUnavailable = 3;
}
