using System.Text;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.Ssh;

/// <summary>A software key made by the real <c>ssh-keygen</c>, which also makes its signatures.</summary>
public sealed class SshKeygenKey : ISigner
{
    private SshKeygenKey(string privateKeyPath, string publicKeyLine)
    {
        PrivateKeyPath = privateKeyPath;
        PublicKeyLine = publicKeyLine;
    }

    /// <summary>Generates a key: <paramref name="type"/> is ssh-keygen's -t (ed25519, ecdsa, rsa); bits optional.</summary>
    public static SshKeygenKey Generate(string directory, string type, int? bits = null, string comment = "test-key")
    {
        var path = Path.Combine(directory, $"id_{type}{bits}_{Guid.NewGuid():N}");
        var arguments = new List<string> { "-q", "-t", type, "-N", "", "-C", comment, "-f", path };
        if (bits is not null) arguments.AddRange(["-b", bits.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        ExternalProcess.Run("ssh-keygen", arguments).ThrowOnFailure();
        return new SshKeygenKey(path, File.ReadAllText(path + ".pub").Trim());
    }

    public string PrivateKeyPath { get; }

    public string PublicKeyLine { get; }

    public string Sign(byte[] message, string @namespace)
    {
        var result = ExternalProcess.Run("ssh-keygen", ["-Y", "sign", "-n", @namespace, "-f", PrivateKeyPath], standardInput: message).ThrowOnFailure();
        return result.StandardOutput;
    }

    public override string ToString() => PublicKeyLine;
}
