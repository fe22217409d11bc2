namespace BuildTrust.Pipeline.Signing;

/// <summary>A signing key that cannot be used; the message names the file or the pkcs11 URI (never a PIN).</summary>
public sealed class SigningKeyException(SigningKeyErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public SigningKeyErrorKind Kind { get; } = kind;
}
