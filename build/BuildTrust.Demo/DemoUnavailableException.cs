using BuildTrust.Verifiers;

namespace BuildTrust.Demo;

/// <summary>Something the demo needs is not on this machine (SoftHSM2, pkcs11-tool, Docker engines): exit 3.</summary>
public sealed class DemoUnavailableException(string message) : BuildTrustException(FaultKind.Infrastructure, message);
