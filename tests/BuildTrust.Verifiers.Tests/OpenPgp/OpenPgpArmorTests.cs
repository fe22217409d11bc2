using System.Text;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Verifiers.Signatures.OpenPgp;

namespace BuildTrust.Verifiers.Tests.OpenPgp;

/// <summary>The armor of OpenPGP signatures, on signatures made by the real gpg (and checked by it).</summary>
public sealed class OpenPgpArmorTests : IDisposable
{
    private static readonly byte[] Message = "armored message\n"u8.ToArray();
    private readonly GpgKeyring _gpg = new();
    private readonly string _key;
    private readonly OpenPgpKey _publicKey;
    private readonly string _armored;

    public OpenPgpArmorTests()
    {
        _key = _gpg.Generate("Armor <armor@test.invalid>", "ed25519");
        _publicKey = OpenPgpKey.Parse(Encoding.ASCII.GetBytes(_gpg.ExportPublic(_key)));
        _armored = _gpg.Sign(_key, Message);
    }

    private string[] Lines => _armored.Trim().Split('\n');

    private static bool Verifies(OpenPgpKey key, string armored) =>
        OpenPgpSignatureVerifier.Verify(key, OpenPgpSignature.Parse(armored), Message).IsValid;

    [Fact]
    public void Parse_WhenGpgArmor_AlsoWithHeadersOrCrLf_Verifies()
    {
        var lines = Lines;
        var withHeaders = string.Join('\n', [lines[0], "Version: GnuPG v2", "Comment: a comment", .. lines[1..]]);

        Assert.Equal(0, _gpg.Verify(_armored, Message).ExitCode);
        Assert.True(Verifies(_publicKey, _armored));
        Assert.True(Verifies(_publicKey, withHeaders));
        Assert.True(Verifies(_publicKey, _armored.Replace("\n", "\r\n")));
    }

    [Fact]
    public void Parse_WhenChecksumDoesNotMatch_RefusesNamingTheChecksum()
    {
        var lines = Lines;
        var checksum = Array.FindIndex(lines, l => l.StartsWith('='));
        Assert.True(checksum > 0, "gpg writes a CRC-24 line");
        lines[checksum] = lines[checksum] == "=AAAA" ? "=AAAB" : "=AAAA";

        var error = Assert.Throws<OpenPgpFormatException>(() => OpenPgpSignature.Parse(string.Join('\n', lines)));

        Assert.Contains("checksum does not match", error.Message);
        Assert.NotEqual(0, _gpg.Verify(string.Join('\n', lines), Message).ExitCode);
    }

    [Theory]
    [InlineData("missing blank line", "armor header")]
    [InlineData("text after the end", "text after")]
    [InlineData("no end line", "ends with")]
    [InlineData("not base64", "not valid base64")]
    [InlineData("second block", "more than one armored block")]
    public void Parse_WhenArmorIsMalformed_RefusesWithTheReason(string damage, string reason)
    {
        var lines = Lines.ToList();
        var blank = lines.IndexOf("");
        switch (damage)
        {
            case "missing blank line": lines.RemoveAt(blank); break;
            case "text after the end": lines.Add("trailing"); break;
            case "no end line": lines.RemoveAt(lines.Count - 1); break;
            case "not base64": lines[blank + 1] = "!!" + lines[blank + 1][2..]; break;
            case "second block": lines.AddRange(Lines); break;
        }

        var error = Assert.Throws<OpenPgpFormatException>(() => OpenPgpSignature.Parse(string.Join('\n', lines)));

        Assert.Contains(reason, error.Message);
    }

    public void Dispose() => _gpg.Dispose();
}
