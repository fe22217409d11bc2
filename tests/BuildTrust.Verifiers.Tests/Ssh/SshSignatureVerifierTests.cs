using System.Text;
using BuildTrust.Testing.Ssh;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Tests.Ssh;

public sealed class SshSignatureVerifierTests : IDisposable
{
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("tree 0000\nauthor someone\n\na commit\n");
    private readonly TemporaryDirectory _keys = new("buildtrust-keys-");

    public static TheoryData<string, int?> SshKeygenKeyTypes => new()
    {
        { "ed25519", null },
        { "ecdsa", 256 },
        { "ecdsa", 384 },
        { "ecdsa", 521 },
        { "rsa", 3072 },
    };

    [Theory]
    [MemberData(nameof(SshKeygenKeyTypes))]
    public void Verify_WhenSignedBySshKeygen_IsValid(string type, int? bits)
    {
        var key = SshKeygenKey.Generate(_keys.Path, type, bits);
        var armored = key.Sign(Message, "git");

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(key.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.True(result.IsValid, result.Failure);
        Assert.Null(result.SecurityKey);
    }

    [Theory]
    [MemberData(nameof(SshKeygenKeyTypes))]
    public void Verify_WhenMessageChangedByOneByte_IsInvalid(string type, int? bits)
    {
        var key = SshKeygenKey.Generate(_keys.Path, type, bits);
        var armored = key.Sign(Message, "git");
        var changed = (byte[])Message.Clone();
        changed[^2] ^= 1;

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(key.PublicKeyLine), SshSignature.Parse(armored), changed, "git");

        Assert.False(result.IsValid);
        Assert.Contains("does not verify", result.Failure);
    }

    [Theory]
    [InlineData(SecurityKeyType.Ed25519)]
    [InlineData(SecurityKeyType.EcdsaP256)]
    public void Verify_WhenSignedBySoftwareAuthenticator_IsValidAndReportsFlags_AndOpenSshAgrees(SecurityKeyType type)
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(type, counter: 41);
        var armored = authenticator.Sign(Message, "git", SoftwareFidoAuthenticator.UserPresent | SoftwareFidoAuthenticator.UserVerified);

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(authenticator.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.True(result.IsValid, result.Failure);
        Assert.NotNull(result.SecurityKey);
        Assert.True(result.SecurityKey.UserPresent);
        Assert.True(result.SecurityKey.UserVerified);
        Assert.Equal(42u, result.SecurityKey.Counter);
        Assert.Equal("ssh:", result.SecurityKey.Application);
        var reference = ReferenceVerifiers.SshKeygenVerify(authenticator.PublicKeyLine, "git", armored, Message);
        Assert.True(reference.ExitCode == 0, reference.StandardError + reference.StandardOutput);
    }

    [Theory]
    [InlineData(SecurityKeyType.Ed25519)]
    [InlineData(SecurityKeyType.EcdsaP256)]
    public void Verify_WhenSecurityKeyFlagsAltered_IsInvalid(SecurityKeyType type)
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(type);
        var data = SshSignatureWriter.SignedData("git", "sha256", Message);
        var blob = authenticator.SignatureBlob(data, flags: 0x00, counter: 7);
        blob[^5] = SoftwareFidoAuthenticator.UserPresent; // claim a touch the authenticator did not sign
        var armored = SshSignatureWriter.Armored(authenticator.PublicKeyBlob, "git", "sha256", blob);

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(authenticator.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.False(result.IsValid);
    }

    [Fact]
    public void Verify_WhenNamespaceIsNotGit_IsInvalidWithReason()
    {
        var key = SshKeygenKey.Generate(_keys.Path, "ed25519");
        var armored = key.Sign(Message, "file");

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(key.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.False(result.IsValid);
        Assert.Contains("namespace is 'file'", result.Failure);
    }

    [Fact]
    public void Verify_WhenRsaSignatureUsesSha1_IsRefused()
    {
        using var key = InProcessSshKey.RsaKey();
        var armored = key.Sign(Message, "git", "sha512", "ssh-rsa");

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(key.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.False(result.IsValid);
        Assert.Contains("SHA-1", result.Failure);
    }

    [Fact]
    public void Verify_WhenRsaSha256_IsValid()
    {
        using var key = InProcessSshKey.RsaKey(2048);
        var armored = key.Sign(Message, "git", "sha256", "rsa-sha2-256");

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(key.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(0, ReferenceVerifiers.SshKeygenVerify(key.PublicKeyLine, "git", armored, Message).ExitCode);
    }

    [Fact]
    public void Verify_WhenMessageHashIsSha1_IsRefused()
    {
        using var key = InProcessSshKey.Ed25519Key();
        var armored = key.Sign(Message, "git", "sha1", "ssh-ed25519");

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(key.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.False(result.IsValid);
        Assert.Contains("hash 'sha1'", result.Failure);
    }

    [Fact]
    public void Verify_WhenSignatureAlgorithmDiffersFromKeyType_IsRefused()
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        using var plain = InProcessSshKey.Ed25519Key();
        // A plain Ed25519 signature blob presented under a security-key public key (no flags to check).
        var plainArmored = plain.Sign(Message, "git");
        var plainBlob = ExtractSignatureBlob(plainArmored);
        var armored = SshSignatureWriter.Armored(authenticator.PublicKeyBlob, "git", "sha512", plainBlob);

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(authenticator.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.False(result.IsValid);
        Assert.Contains("does not match the key type", result.Failure);
    }

    [Fact]
    public void Verify_WhenKeyDiffersFromSignatureKey_IsInvalid()
    {
        using var signer = InProcessSshKey.Ed25519Key();
        using var other = InProcessSshKey.Ed25519Key();
        var armored = signer.Sign(Message, "git");

        var result = SshSignatureVerifier.Verify(SshPublicKey.Parse(other.PublicKeyLine), SshSignature.Parse(armored), Message, "git");

        Assert.False(result.IsValid);
        Assert.Contains("different public key", result.Failure);
    }

    [Fact]
    public void Parse_WhenGarbage_ThrowsFormatError()
    {
        Assert.Throws<SshFormatException>(() => SshSignature.Parse("-----BEGIN SSH SIGNATURE-----\nnot base64 at all!\n-----END SSH SIGNATURE-----\n"));
        Assert.Throws<SshFormatException>(() => SshSignature.Parse("hello"));
        Assert.Throws<SshFormatException>(() => SshSignature.Parse(SshSignatureWriter.Armor("SSHSIG\0\0\0\u0002"u8)));
    }

    [Fact]
    public void Verify_WhenSignatureBlobTruncated_ThrowsFormatErrorAtEveryLength()
    {
        using var key = InProcessSshKey.Ed25519Key();
        var blob = ExtractSignatureBlob(key.Sign(Message, "git"));
        var publicKey = SshPublicKey.Parse(key.PublicKeyLine);
        for (var length = 0; length < blob.Length; length++)
        {
            var armored = SshSignatureWriter.Armored(key.PublicKeyBlob, "git", "sha512", blob.AsSpan(0, length));
            Assert.Throws<SshFormatException>(() => SshSignatureVerifier.Verify(publicKey, SshSignature.Parse(armored), Message, "git"));
        }
    }

    [Fact]
    public void Parse_WhenSshsigTruncatedAtAnyLength_ThrowsFormatError()
    {
        using var key = InProcessSshKey.Ed25519Key();
        var armored = key.Sign(Message, "git");
        var binary = Convert.FromBase64String(string.Concat(armored.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        for (var length = 0; length < binary.Length; length++)
        {
            var truncated = SshSignatureWriter.Armor(binary.AsSpan(0, length));
            Assert.Throws<SshFormatException>(() => SshSignature.Parse(truncated));
        }
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==")]
    [InlineData("ssh-ed25519 !!!")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP")]
    [InlineData("ecdsa-sha2-nistp256 AAAAC3NzaC1lZDI1NTE5AAAAIGq+2yLPk3WBWUrtNkELdaeMRRCtjnmvnQHVbXu8mo9m")]
    [InlineData("")]
    public void ParsePublicKey_WhenMalformedOrMismatched_ThrowsFormatError(string line)
    {
        Assert.Throws<SshFormatException>(() => SshPublicKey.Parse(line));
    }

    [Fact]
    public void ParsePublicKey_WhenRsaShorterThan2048Bits_IsRefused()
    {
        using var key = InProcessSshKey.RsaKey(1024);
        var error = Assert.Throws<SshFormatException>(() => SshPublicKey.Parse(key.PublicKeyLine));
        Assert.Contains("1024 bits", error.Message);
    }

    [Fact]
    public void Fingerprint_MatchesSshKeygen()
    {
        var key = SshKeygenKey.Generate(_keys.Path, "ed25519");
        var expected = ExternalProcess.Run("ssh-keygen", ["-l", "-f", key.PrivateKeyPath + ".pub"]).ThrowOnFailure().StandardOutput.Split(' ')[1];

        Assert.Equal(expected, SshPublicKey.Parse(key.PublicKeyLine).Fingerprint);
    }

    private static byte[] ExtractSignatureBlob(string armored)
    {
        var binary = Convert.FromBase64String(string.Concat(armored.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        // SSHSIG magic(6) version(4) then four strings; the fifth string is the signature blob.
        var offset = 10;
        for (var field = 0; field < 4; field++) offset += 4 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(binary.AsSpan(offset));
        var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(binary.AsSpan(offset));
        return binary.AsSpan(offset + 4, length).ToArray();
    }

    public void Dispose() => _keys.Dispose();
}
