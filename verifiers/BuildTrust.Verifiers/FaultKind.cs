namespace BuildTrust.Verifiers;

/// <summary>
/// Why a command could not reach a verdict. A verification that fails is a result (exit 1), never an exception;
/// these are the two ways of not getting that far, and the CLI maps them to exit codes in one place.
/// </summary>
public enum FaultKind
{
    /// <summary>Bad input or usage: a malformed or unreadable file, an unknown revision, a wrong option (exit 2).</summary>
    BadInput,

    /// <summary>Infrastructure unavailable: no engine, no token, a native library missing, output closed (exit 3).</summary>
    Infrastructure,
}
