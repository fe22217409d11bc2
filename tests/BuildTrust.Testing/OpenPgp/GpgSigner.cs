using BuildTrust.Testing.Ssh;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>Signs commits and approvals with real gpg (the namespace is SSH-only and ignored); <paramref name="options"/> go to gpg as given.</summary>
public sealed class GpgSigner(GpgKeyring keyring, string key, string digest = "SHA512", params string[] options) : ISigner
{
    public string PublicKeyLine => "";

    public string Sign(byte[] message, string @namespace) => keyring.SignWith(key, message, ["--digest-algo", digest, .. options]);
}
