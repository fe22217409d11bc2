using System.Text;
using BuildTrust.Demo.Policies;
using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Tests.Fuzz;

/// <summary>
/// Inputs found by coverage-guided fuzzing (fuzz/README.md), kept under Fuzz/Regressions/TARGET as the fuzz
/// target received them; each must now end in a clean, specific refusal where it used to escape as another
/// exception, hang or allocate without bound.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Fact]
    public void SshSignature_WhenItsRsaKeyHasAnEvenExponent_TheKeyIsRefusedWhenRead()
    {
        // Was: accepted on parse, then OpenSslCryptographicException ("bad e value") when the signature was verified.
        var signature = SshSignature.Parse(ArmorSsh(Input("sshsig", "rsa-even-exponent.sshsig")));

        var error = Assert.Throws<SshFormatException>(() => SshPublicKey.FromBlob(signature.PublicKeyBlob));
        Assert.Contains("the RSA key is not usable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_WhenAnSshKeyIsRsaWithAnEvenExponent_IsRefusedNamingTheLine()
    {
        var signature = SshSignature.Parse(ArmorSsh(Input("sshsig", "rsa-even-exponent.sshsig")));
        var line = $"ssh-rsa {Convert.ToBase64String(signature.PublicKeyBlob)} fuzz";
        var yaml = Encoding.UTF8.GetBytes(new PolicyBuilder().Maintainer("alice", ["author"], line).ToYaml());

        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(yaml, "policy.yaml"));
        Assert.Contains("invalid SSH public key: the RSA key is not usable", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void SshPublicKey_WhenRsaModulusIsOverOpenSshsLimit_IsRefused()
    {
        // A 16385-bit modulus: OpenSSH refuses it, and OpenSSL would fail only when verifying.
        var modulus = new byte[2049];
        modulus[0] = 0x01;
        modulus[^1] = 0x01;
        var blob = new BuildTrust.Demo.Keys.SshWireWriter().String("ssh-rsa").String([0x01, 0x00, 0x01]).String(modulus).ToArray();

        var error = Assert.Throws<SshFormatException>(() => SshPublicKey.FromBlob(blob));
        Assert.Contains("at most 16384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FidoAttestation_WhenTheCoseKeyNestsMapsDeeply_IsRefusedWithoutExhaustingTheStack()
    {
        // Was: the hand-written CBOR reader recursed once per nested map; 20000 levels (40 KB, under the 64 KiB file limit)
        // overflowed a thread-pool thread's stack and killed the process.
        var key = SshPublicKey.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Attestation", "Fixtures", "yubikey-p256.pub")));
        var challenge = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Attestation", "Fixtures", "yubikey-p256.challenge"));
        var roots = KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(Path.Combine(Tests.Policy.PolicyLoaderTests.RepositoryRoot(), "policies", "trust", "yubico-fido-ca-1.pem")), "root");

        var error = Assert.Throws<AttestationFormatException>(() =>
            FidoEnrollmentAttestation.Verify(Input("fido-attestation", "cose-nested-20000-maps.attest"), challenge, key, roots, DateTime.UtcNow));
        Assert.Contains("the COSE key holds a nested value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenPgpKey_WhenASubkeyBindingEmbedsAnUnparsableBackSignature_TheSubkeyMayNotSign()
    {
        // Was: BouncyCastle's PgpException from GetEmbeddedSignatures escaped OpenPgpKey.Parse (and so the policy loader).
        var key = OpenPgpKey.Parse(Input("openpgp-key", "unparsable-embedded-back-signature.gpg"));

        var subkey = Assert.Single(key.SigningKeys.Values, state => !state.Key.IsMasterKey);
        Assert.Contains("is not bound to the primary key by a valid binding signature: the latest has a malformed subpacket", subkey.Refusal, StringComparison.Ordinal);
    }

    internal static byte[] Input(string target, string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Regressions", target, name));

    /// <summary>The sshsig target's framing of its binary input.</summary>
    private static string ArmorSsh(byte[] binary) => $"{SshSignature.ArmorBegin}\n{Convert.ToBase64String(binary)}\n{SshSignature.ArmorEnd}\n";
}
