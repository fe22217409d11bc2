namespace BuildTrust.Testing.Ssh;

/// <summary>"Signs" with a fixed text: for garbage, truncated or foreign signature headers.</summary>
public sealed class ConstantSigner(string armored) : ISigner
{
    public string PublicKeyLine => "";

    public string Sign(byte[] message, string @namespace) => armored;
}
