namespace BuildTrust.Demo.Keys;

/// <summary>Something that makes armored signatures: an SSH key, ssh-keygen, a software authenticator, or gpg.</summary>
public interface ISigner
{
    /// <summary>The OpenSSH public key line (type, base64, comment); empty for OpenPGP signers.</summary>
    string PublicKeyLine { get; }

    string Sign(byte[] message, string @namespace);
}
