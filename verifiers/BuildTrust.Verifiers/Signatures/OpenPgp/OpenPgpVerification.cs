namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>The outcome of checking one OpenPGP signature against one maintainer key.</summary>
/// <param name="SigningKeyFingerprint">The primary key or subkey that made the signature, when found.</param>
public sealed record OpenPgpVerification(bool IsValid, string? Failure, string? SigningKeyFingerprint, string? SigningKeyType)
{
    /// <summary>The kind of <see cref="Failure"/>; <see cref="OpenPgpFailure.None"/> when valid.</summary>
    public OpenPgpFailure Kind { get; init; }

    internal static OpenPgpVerification Fail(string failure, string? fingerprint = null, string? type = null, OpenPgpFailure kind = OpenPgpFailure.Refused) =>
        new(false, failure, fingerprint, type) { Kind = kind };
}
