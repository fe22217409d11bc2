namespace BuildTrust.Verifiers;

/// <summary>The one base of BuildTrust's exceptions: each carries the <see cref="FaultKind"/> that decides its exit code.</summary>
public abstract class BuildTrustException(FaultKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public FaultKind Kind { get; } = kind;
}
