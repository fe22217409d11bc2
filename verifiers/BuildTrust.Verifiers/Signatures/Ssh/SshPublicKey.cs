using System.Security.Cryptography;

namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>An OpenSSH public key, validated on parse. Equality is by the exact key blob.</summary>
public sealed class SshPublicKey : IEquatable<SshPublicKey>
{
    private readonly byte[] _blob;

    private SshPublicKey(string algorithm, byte[] blob, string? application, SshKeyMaterial material, string comment)
    {
        Algorithm = algorithm;
        _blob = blob;
        Application = application;
        Material = material;
        Comment = comment;
        Fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }

    /// <summary>The key type, for example <c>sk-ssh-ed25519@openssh.com</c>.</summary>
    public string Algorithm { get; }

    /// <summary>OpenSSH's fingerprint: <c>SHA256:</c> and the unpadded base64 of the blob's SHA-256.</summary>
    public string Fingerprint { get; }

    /// <summary>For FIDO security keys, the relying-party application (usually <c>ssh:</c>); otherwise null.</summary>
    public string? Application { get; }

    public string Comment { get; }

    /// <summary>Whether the key lives on a FIDO authenticator (an <c>sk-</c> key type).</summary>
    public bool IsSecurityKey => Application is not null;

    internal SshKeyMaterial Material { get; }

    public ReadOnlySpan<byte> Blob => _blob;

    /// <summary>Parses an OpenSSH public key line (<c>type base64 [comment]</c>).</summary>
    public static SshPublicKey Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new SshFormatException("an OpenSSH public key line is '<type> <base64> [comment]'");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new SshFormatException("the key's base64 field does not decode");
        }
        var key = FromBlob(blob, parts.Length > 2 ? parts[2] : "");
        if (key.Algorithm != parts[0]) throw new SshFormatException($"the line says {parts[0]} but the key blob holds {key.Algorithm}");
        return key;
    }

    /// <summary>Parses a public key blob in SSH wire encoding.</summary>
    public static SshPublicKey FromBlob(ReadOnlySpan<byte> blob, string comment = "")
    {
        var reader = new SshWireReader(blob);
        var algorithm = reader.ReadAscii();
        string? application = null;
        SshKeyMaterial material;
        switch (algorithm)
        {
            case SshKeyAlgorithms.Ed25519:
                material = new Ed25519KeyMaterial(algorithm, reader.ReadString());
                break;
            case SshKeyAlgorithms.SecurityKeyEd25519:
                material = new Ed25519KeyMaterial(algorithm, reader.ReadString());
                application = reader.ReadAscii();
                break;
            case SshKeyAlgorithms.EcdsaP256:
                material = EcdsaKeyMaterial.Read(algorithm, "nistp256", ref reader);
                break;
            case SshKeyAlgorithms.EcdsaP384:
                material = EcdsaKeyMaterial.Read(algorithm, "nistp384", ref reader);
                break;
            case SshKeyAlgorithms.EcdsaP521:
                material = EcdsaKeyMaterial.Read(algorithm, "nistp521", ref reader);
                break;
            case SshKeyAlgorithms.SecurityKeyEcdsaP256:
                material = EcdsaKeyMaterial.Read(algorithm, "nistp256", ref reader);
                application = reader.ReadAscii();
                break;
            case SshKeyAlgorithms.Rsa:
                material = new RsaKeyMaterial(ref reader);
                break;
            default:
                throw new SshFormatException($"unsupported key type '{algorithm}'");
        }
        reader.ExpectEnd("the public key");
        return new SshPublicKey(algorithm, blob.ToArray(), application, material, comment);
    }

    public bool Equals(SshPublicKey? other) => other is not null && _blob.AsSpan().SequenceEqual(other._blob);

    public override bool Equals(object? obj) => Equals(obj as SshPublicKey);

    public override int GetHashCode() => Fingerprint.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"{Algorithm} {Fingerprint}";
}
