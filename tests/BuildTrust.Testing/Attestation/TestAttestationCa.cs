using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace BuildTrust.Testing.Attestation;

/// <summary>
/// TEST ONLY. A certificate authority shaped like Yubico's attestation PKI, with real crypto: a root, a device
/// attestation certificate (the f9 certificate) signed by it, and attested-key certificates signed by the
/// device key carrying Yubico's extensions (firmware, serial, PIN and touch policy, form factor).
/// </summary>
public sealed class TestAttestationCa : IDisposable
{
    private const string Yubico = "1.3.6.1.4.1.41482";
    private readonly RSA _rootKey = RSA.Create(2048);
    private readonly ECDsa _deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestAttestationCa(string name = "BuildTrust Test Attestation Root CA")
    {
        var request = new CertificateRequest($"CN={name}", _rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(30));
    }

    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem() + "\n";

    /// <summary>A PEM chain (attested-key certificate, then device certificate) for <paramref name="attestedKey"/>.</summary>
    public string IssueChain(PublicKey attestedKey, AttestationOptions? options = null)
    {
        options ??= new AttestationOptions();
        var now = DateTimeOffset.UtcNow;
        var device = new CertificateRequest("CN=Test YubiKey Device Attestation,O=BuildTrust Test", _deviceKey, HashAlgorithmName.SHA256)
            .Create(Root.SubjectName, X509SignatureGenerator.CreateForRSA(_rootKey, RSASignaturePadding.Pkcs1),
                now.AddDays(-10), options.ExpiredDevice ? now.AddDays(-1) : now.AddYears(20), Serial());

        var leafRequest = new CertificateRequest(new X500DistinguishedName($"CN=Test YubiKey {options.Applet} Attestation"), attestedKey, HashAlgorithmName.SHA256);
        foreach (var extension in Extensions(options)) leafRequest.CertificateExtensions.Add(extension);
        var leaf = leafRequest.Create(device.SubjectName, X509SignatureGenerator.CreateForECDsa(_deviceKey),
            now.AddDays(-5), options.ExpiredLeaf ? now.AddDays(-1) : now.AddYears(20), Serial());
        var leafDer = leaf.RawData;
        if (options.BrokenSignature) leafDer[^1] ^= 0x01;
        return Pem(leafDer) + Pem(device.RawData);
    }

    /// <summary>A FIDO authenticator-model attestation certificate for <paramref name="attestationKey"/>, signed by the root.</summary>
    public byte[] IssueFidoCertificate(ECDsa attestationKey)
    {
        var now = DateTimeOffset.UtcNow;
        var request = new CertificateRequest("CN=Test Security Key Attestation,OU=Authenticator Attestation,O=BuildTrust Test,C=SE", attestationKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return request.Create(Root.SubjectName, X509SignatureGenerator.CreateForRSA(_rootKey, RSASignaturePadding.Pkcs1), now.AddDays(-5), now.AddYears(20), Serial()).RawData;
    }

    private static IEnumerable<X509Extension> Extensions(AttestationOptions options)
    {
        var serial = new AsnWriter(AsnEncodingRules.DER);
        serial.WriteInteger(12345678);
        if (options.Applet == "PIV")
        {
            yield return new X509Extension($"{Yubico}.3.3", [5, 4, 3], false);
            yield return new X509Extension($"{Yubico}.3.7", serial.Encode(), false);
            yield return new X509Extension($"{Yubico}.3.8", [options.Pin, options.Touch], false);
            yield return new X509Extension($"{Yubico}.3.9", [1], false);
        }
        else
        {
            var source = new AsnWriter(AsnEncodingRules.DER);
            source.WriteInteger(options.ImportedKey ? 0 : 1);
            yield return new X509Extension($"{Yubico}.5.2", source.Encode(), false);
            yield return new X509Extension($"{Yubico}.5.3", [5, 4, 3], false);
            yield return new X509Extension($"{Yubico}.5.7", serial.Encode(), false);
            yield return new X509Extension($"{Yubico}.5.8", [options.Touch], false);
            yield return new X509Extension($"{Yubico}.5.9", [1], false);
        }
    }

    private static byte[] Serial() => RandomNumberGenerator.GetBytes(8) is var bytes ? [(byte)(bytes[0] & 0x7f), .. bytes[1..]] : [];

    private static string Pem(byte[] der)
    {
        var base64 = Convert.ToBase64String(der);
        var text = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (var i = 0; i < base64.Length; i += 64) text.Append(base64.AsSpan(i, Math.Min(64, base64.Length - i))).Append('\n');
        return text.Append("-----END CERTIFICATE-----\n").ToString();
    }

    public void Dispose()
    {
        _rootKey.Dispose();
        _deviceKey.Dispose();
        Root.Dispose();
    }
}
