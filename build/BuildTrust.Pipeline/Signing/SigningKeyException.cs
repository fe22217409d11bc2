using BuildTrust.Verifiers;

namespace BuildTrust.Pipeline.Signing;

/// <summary>A signing key that cannot be used; the message names the file or the pkcs11 URI (never a PIN).</summary>
/// <param name="kind">Bad input (a wrong PIN, a malformed key, a refused key type) or infrastructure (no module, no token).</param>
public sealed class SigningKeyException(FaultKind kind, string message, Exception? inner = null) : BuildTrustException(kind, message, inner);
