using BuildTrust.Verifiers;

namespace BuildTrust.Cli;

/// <summary>
/// The exit codes of the command-line contract (README, "Exit codes"), and the one place where a failure that stopped a command
/// becomes one of them. Scripts and CI depend on them.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every check passed.</summary>
    public const int Passed = 0;

    /// <summary>Verification failed: the input is readable and violates the policy.</summary>
    public const int VerificationFailed = 1;

    /// <summary>Bad input or usage: unreadable policy, unknown revision, malformed file or signature.</summary>
    public const int BadInput = 2;

    /// <summary>Infrastructure unavailable: no Docker engine, no token, a native library missing, output closed.</summary>
    public const int InfrastructureUnavailable = 3;

    /// <summary>The exit code and the one line to print for an exception that stopped a command. Never a stack trace.</summary>
    public static (int ExitCode, string Message) Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var e = Unwrap(exception);
        return e switch
        {
            BuildTrustException known => (known.Kind == FaultKind.BadInput ? BadInput : InfrastructureUnavailable, $"error: {known.Message}"),
            OperationCanceledException => (InfrastructureUnavailable, "cancelled: nothing was completed"),
            OutputClosedException closed => (InfrastructureUnavailable, $"error: {closed.Message}"),
            DllNotFoundException or EntryPointNotFoundException or BadImageFormatException =>
                (InfrastructureUnavailable, $"error: a native library could not be loaded: {e.Message}"),
            IOException => (InfrastructureUnavailable, $"error: input/output failed: {e.Message}"),
            UnauthorizedAccessException => (BadInput, $"error: permission denied: {e.Message}"),
            _ when e.GetType().Namespace == "LibGit2Sharp" => (BadInput, $"error: git: {e.Message}"),
            FormatException or InvalidDataException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException
                or ArgumentException or System.Text.DecoderFallbackException or OverflowException =>
                (BadInput, $"error: malformed input: {e.Message}"),
            _ => (InfrastructureUnavailable, $"error: internal error ({e.GetType().Name}: {e.Message}); nothing was completed. Please report this."),
        };
    }

    private static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    e = aggregate.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                case TypeInitializationException { InnerException: { } inner }:
                    e = inner;
                    continue;
                default:
                    return e;
            }
        }
    }
}
