using BuildTrust.Verifiers;
namespace BuildTrust.Pipeline.Signing;

/// <summary>Opens a signing key from its reference: a <c>pkcs11:</c> URI, or a PEM key file path.</summary>
public static class SigningKeys
{
    public static IDigestSigner Open(string reference, bool requireHardware)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (Pkcs11Uri.IsPkcs11(reference)) return Pkcs11DigestSigner.Open(Pkcs11Uri.Parse(reference));
        if (requireHardware)
            throw new SigningKeyException(FaultKind.BadInput,
                $"release.signing-key-hardware is required, but a key file was given ({reference}): use the key on its token through a pkcs11: URI");
        return PemDigestSigner.Open(reference);
    }
}
