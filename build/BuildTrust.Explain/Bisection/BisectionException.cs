using BuildTrust.Verifiers;

namespace BuildTrust.Explain.Bisection;

/// <summary>
/// A bisection could not run: an engine unreachable (exit 3), or a probe's build that failed (exit 2: that commit or
/// variation cannot be built, so nothing can be said about its reproducibility).
/// </summary>
public sealed class BisectionException(string message, bool infrastructure) : BuildTrustException(infrastructure ? FaultKind.Infrastructure : FaultKind.BadInput, message);
