namespace BuildTrust.Testing.Ssh;

public enum SecurityKeyType
{
    Ed25519,
    EcdsaP256,
}
