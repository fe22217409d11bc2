namespace BuildTrust.Demo.Keys;

public enum SecurityKeyType
{
    Ed25519,
    EcdsaP256,
}
