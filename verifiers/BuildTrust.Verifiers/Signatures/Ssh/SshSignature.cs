using System.Text;

namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>
/// An armored OpenSSH signature (PROTOCOL.sshsig): the outer framing is parsed here; the signature blob is
/// parsed against the signer's key during verification, since its layout depends on the key type.
/// </summary>
public sealed class SshSignature
{
    public const string ArmorBegin = "-----BEGIN SSH SIGNATURE-----";
    public const string ArmorEnd = "-----END SSH SIGNATURE-----";
    private const int MaximumArmoredLength = 64 * 1024;
    private static ReadOnlySpan<byte> Magic => "SSHSIG"u8;

    private readonly byte[] _publicKeyBlob;
    private readonly byte[] _signatureBlob;

    private SshSignature(byte[] publicKeyBlob, string publicKeyAlgorithm, string @namespace, string hashAlgorithm, string signatureAlgorithm, byte[] signatureBlob)
    {
        _publicKeyBlob = publicKeyBlob;
        PublicKeyAlgorithm = publicKeyAlgorithm;
        Namespace = @namespace;
        HashAlgorithm = hashAlgorithm;
        SignatureAlgorithm = signatureAlgorithm;
        _signatureBlob = signatureBlob;
    }

    /// <summary>The signer's public key blob as embedded in the signature.</summary>
    public ReadOnlySpan<byte> PublicKeyBlob => _publicKeyBlob;

    /// <summary>The key type named at the start of the embedded public key.</summary>
    public string PublicKeyAlgorithm { get; }

    public string Namespace { get; }

    /// <summary>The hash applied to the message before signing: <c>sha256</c> or <c>sha512</c> are accepted.</summary>
    public string HashAlgorithm { get; }

    /// <summary>The algorithm named in the signature blob, for example <c>rsa-sha2-512</c>.</summary>
    public string SignatureAlgorithm { get; }

    internal ReadOnlySpan<byte> SignatureBlob => _signatureBlob;

    /// <summary>Whether <paramref name="text"/> looks like an armored SSH signature (as opposed to OpenPGP or X.509).</summary>
    public static bool IsArmoredSshSignature(string text) => text.AsSpan().TrimStart().StartsWith(ArmorBegin, StringComparison.Ordinal);

    /// <summary>Parses an armored signature; throws <see cref="SshFormatException"/> saying what is wrong.</summary>
    public static SshSignature Parse(string armored)
    {
        ArgumentNullException.ThrowIfNull(armored);
        if (armored.Length > MaximumArmoredLength) throw new SshFormatException($"the armored signature is larger than {MaximumArmoredLength} bytes");
        var lines = armored.Replace("\r\n", "\n", StringComparison.Ordinal).Trim().Split('\n');
        if (lines.Length < 3 || lines[0] != ArmorBegin || lines[^1] != ArmorEnd)
            throw new SshFormatException($"an SSH signature is framed by '{ArmorBegin}' and '{ArmorEnd}'");
        var base64 = new StringBuilder();
        for (var i = 1; i < lines.Length - 1; i++)
        {
            if (lines[i].Contains("-----", StringComparison.Ordinal)) throw new SshFormatException("more than one armored block");
            base64.Append(lines[i].Trim());
        }
        byte[] binary;
        try
        {
            binary = Convert.FromBase64String(base64.ToString());
        }
        catch (FormatException)
        {
            throw new SshFormatException("the armored signature's base64 does not decode");
        }
        return FromBinary(binary);
    }

    private static SshSignature FromBinary(ReadOnlySpan<byte> binary)
    {
        if (!binary.StartsWith(Magic)) throw new SshFormatException("the signature does not start with the SSHSIG magic");
        var reader = new SshWireReader(binary[Magic.Length..]);
        var version = reader.ReadUInt32();
        if (version != 1) throw new SshFormatException($"unsupported SSHSIG version {version}");
        var publicKeyBlob = reader.ReadString().ToArray();
        var @namespace = reader.ReadAscii();
        reader.ReadString(); // reserved
        var hashAlgorithm = reader.ReadAscii();
        var signatureBlob = reader.ReadString().ToArray();
        reader.ExpectEnd("the SSHSIG blob");

        var keyReader = new SshWireReader(publicKeyBlob);
        var publicKeyAlgorithm = keyReader.ReadAscii();
        var signatureReader = new SshWireReader(signatureBlob);
        var signatureAlgorithm = signatureReader.ReadAscii();
        return new SshSignature(publicKeyBlob, publicKeyAlgorithm, @namespace, hashAlgorithm, signatureAlgorithm, signatureBlob);
    }
}
