using BuildTrust.Testing.Ssh;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>Signs commits and approvals with real gpg (the namespace is SSH-only and ignored).</summary>
public sealed class GpgSigner(GpgKeyring keyring, string key, string digest = "SHA512") : ISigner
{
    public string PublicKeyLine => "";

    public string Sign(byte[] message, string @namespace) => keyring.Sign(key, message, digest);
}
