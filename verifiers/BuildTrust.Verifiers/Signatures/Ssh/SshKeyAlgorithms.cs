namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>The OpenSSH key and signature algorithm names BuildTrust accepts.</summary>
public static class SshKeyAlgorithms
{
    public const string Ed25519 = "ssh-ed25519";
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";
    public const string EcdsaP384 = "ecdsa-sha2-nistp384";
    public const string EcdsaP521 = "ecdsa-sha2-nistp521";
    public const string Rsa = "ssh-rsa";
    public const string RsaSha256 = "rsa-sha2-256";
    public const string RsaSha512 = "rsa-sha2-512";
    public const string SecurityKeyEd25519 = "sk-ssh-ed25519@openssh.com";
    public const string SecurityKeyEcdsaP256 = "sk-ecdsa-sha2-nistp256@openssh.com";

    /// <summary>Smallest RSA modulus accepted, in bits.</summary>
    public const int MinimumRsaBits = 2048;

    /// <summary>Largest RSA modulus accepted, in bits: OpenSSH's limit (SSH_RSA_MAXIMUM_MODULUS_SIZE), also OpenSSL's.</summary>
    public const int MaximumRsaBits = 16384;
}
