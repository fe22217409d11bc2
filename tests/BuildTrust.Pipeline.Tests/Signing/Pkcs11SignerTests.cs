using BuildTrust.Verifiers;
using System.Security.Cryptography;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Pkcs11;

namespace BuildTrust.Pipeline.Tests.Signing;

[Collection("tokens")]
public sealed class Pkcs11SignerTests
{
    private static readonly byte[] Data = "release artifact bytes"u8.ToArray();

    [TokenFact]
    public void A_softhsm_key_signs_and_openssl_verifies_the_signature()
    {
        using var token = SoftHsmToken.Create();
        using var signer = SigningKeys.Open(token.Uri(), requireHardware: true);

        var signature = signer.SignDigest(SHA256.HashData(Data));

        Assert.True(signer.IsHardware);
        Assert.True(OpenSsl.Verifies(signer.SubjectPublicKeyInfo, Data, signature));
        Assert.DoesNotContain(token.Pin, signer.Description, StringComparison.Ordinal);
    }

    [TokenFact]
    public void Signing_from_several_threads_at_once_works()
    {
        using var token = SoftHsmToken.Create();
        using var signer = SigningKeys.Open(token.Uri(), requireHardware: true);
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo, out _);
        var digests = Enumerable.Range(0, 64).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var signatures = digests.AsParallel().WithDegreeOfParallelism(4).Select(d => signer.SignDigest(d)).ToArray();
        for (var i = 0; i < digests.Length; i++) Assert.True(verifier.VerifyHash(digests[i], signatures[i], DSASignatureFormat.Rfc3279DerSequence));
    }

    [TokenFact]
    public void A_wrong_pin_is_bad_input_and_says_so()
    {
        using var token = SoftHsmToken.Create();
        var uri = token.Uri().Replace($"pin-source=file:{token.PinFile}", "pin-value=000000", StringComparison.Ordinal);
        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open(uri, requireHardware: true));
        Assert.Equal(FaultKind.BadInput, error.Kind);
        Assert.Contains("wrong PIN", error.Message);
        Assert.DoesNotContain("000000", error.Message, StringComparison.Ordinal);
    }

    [TokenFact]
    public void An_absent_token_is_unavailable()
    {
        using var token = SoftHsmToken.Create();
        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open(token.Uri().Replace(token.Label, "no-such-token", StringComparison.Ordinal), requireHardware: true));
        Assert.Equal(FaultKind.Infrastructure, error.Kind);
        Assert.Contains("no token present", error.Message);
    }

    [TokenFact]
    public void A_missing_module_is_unavailable()
    {
        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open("pkcs11:token=x;object=y?module-path=/nonexistent/libpkcs11.so&pin-value=1", requireHardware: true));
        Assert.Equal(FaultKind.Infrastructure, error.Kind);
    }

    [TokenFact]
    public void A_key_label_that_is_not_on_the_token_is_bad_input()
    {
        using var token = SoftHsmToken.Create();
        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open(token.Uri("another-key"), requireHardware: true));
        Assert.Equal(FaultKind.BadInput, error.Kind);
        Assert.Contains("no private key", error.Message);
    }

    [TokenFact]
    public void A_key_that_wants_the_pin_for_every_signature_is_refused_with_the_reason()
    {
        using var token = SoftHsmToken.Create();
        token.GenerateKey("EC:prime256v1", "always-pin", "--always-auth");
        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open(token.Uri("always-pin"), requireHardware: true));
        Assert.Contains("CKA_ALWAYS_AUTHENTICATE", error.Message);
    }

    [TokenFact]
    public void A_p384_or_rsa_key_on_the_token_is_refused()
    {
        using var token = SoftHsmToken.Create();
        token.GenerateKey("EC:secp384r1", "p384-key");
        token.GenerateKey("rsa:2048", "rsa-key");
        Assert.Contains("not ECDSA P-256", Assert.Throws<SigningKeyException>(() => SigningKeys.Open(token.Uri("p384-key"), requireHardware: true)).Message);
        Assert.Contains("not ECDSA P-256", Assert.Throws<SigningKeyException>(() => SigningKeys.Open(token.Uri("rsa-key"), requireHardware: true)).Message);
    }
}
