using BuildTrust.Verifiers;
using System.Security.Cryptography;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Signing;

public sealed class PemSignerTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-pem-");

    public void Dispose() => directory.Dispose();

    private string Write(string name, string text)
    {
        File.WriteAllText(directory.Combine(name), text);
        return directory.Combine(name);
    }

    [Fact]
    public void A_p256_pkcs8_key_signs_and_openssl_verifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = SigningKeys.Open(Write("key.pem", key.ExportPkcs8PrivateKeyPem()), requireHardware: false);
        var data = "artifact"u8.ToArray();
        Assert.True(OpenSsl.Verifies(signer.SubjectPublicKeyInfo, data, signer.SignDigest(SHA256.HashData(data))));
        Assert.False(signer.IsHardware);
    }

    [Fact]
    public void A_sec1_key_is_accepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = SigningKeys.Open(Write("key.pem", key.ExportECPrivateKeyPem()), requireHardware: false);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), signer.SubjectPublicKeyInfo);
    }

    [Fact]
    public void A_key_file_is_refused_when_the_policy_requires_hardware()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open(Write("key.pem", key.ExportPkcs8PrivateKeyPem()), requireHardware: true));
        Assert.Contains("a key file was given", error.Message);
    }

    [Fact]
    public void Other_curves_rsa_public_keys_garbage_and_truncated_files_are_refused_naming_the_file()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = p256.ExportPkcs8PrivateKeyPem();
        foreach (var (name, text) in new[]
        {
            ("p384.pem", p384.ExportPkcs8PrivateKeyPem()),
            ("rsa.pem", rsa.ExportPkcs8PrivateKeyPem()),
            ("public.pem", p256.ExportSubjectPublicKeyInfoPem()),
            ("garbage.pem", "not a key at all"),
            ("truncated.pem", pem[..(pem.Length / 2)]),
        })
        {
            var error = Assert.Throws<SigningKeyException>(() => SigningKeys.Open(Write(name, text), requireHardware: false));
            Assert.Equal(FaultKind.BadInput, error.Kind);
            Assert.Contains(name, error.Message);
        }
    }

    [Fact]
    public void A_missing_file_is_bad_input()
    {
        Assert.Equal(FaultKind.BadInput, Assert.Throws<SigningKeyException>(() => SigningKeys.Open(directory.Combine("absent.pem"), false)).Kind);
    }
}
