namespace BuildTrust.Testing.Ssh;

/// <summary>Something that makes armored SSH signatures: a software key, ssh-keygen, or a software authenticator.</summary>
public interface ISshSigner
{
    /// <summary>The OpenSSH public key line (type, base64, comment).</summary>
    string PublicKeyLine { get; }

    string Sign(byte[] message, string @namespace);
}
