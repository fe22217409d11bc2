namespace BuildTrust.Pipeline.Signing;

public enum SigningKeyErrorKind
{
    /// <summary>The reference, PIN, key file or key is wrong (exit 2).</summary>
    BadInput,

    /// <summary>The module cannot be loaded or the token is not present (exit 3).</summary>
    Unavailable,
}
