using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.X509;

namespace BuildTrust.Verifiers.Evidence;

/// <summary>
/// Verifies a key attestation chain (YubiKey PIV slot or OpenPGP key attestation, or another vendor's of the
/// same shape): the attested-key certificate first, then the device attestation certificate, then optional
/// intermediates. Each certificate must be signed by the next, every certificate valid at the evaluation
/// time, the last one must be a trusted certificate or be signed by one, and the attested public key must be
/// the policy's key itself. Device attestation certificates are often not marked as CAs, so signatures are
/// checked certificate by certificate rather than through a path-building library's CA rules.
/// </summary>
public static class KeyAttestationVerifier
{
    public const int MaximumFileBytes = 64 * 1024;
    public const int MaximumCertificates = 16;
    private const string Yubico = "1.3.6.1.4.1.41482";

    /// <summary>Reads PEM (or DER) certificates; throws <see cref="AttestationFormatException"/> when there are none or they do not parse.</summary>
    public static IReadOnlyList<X509Certificate> ReadCertificates(byte[] data, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > MaximumFileBytes) throw new AttestationFormatException($"{what}: larger than {MaximumFileBytes} bytes");
        List<X509Certificate> certificates;
        try
        {
            certificates = new X509CertificateParser().ReadCertificates(data)?.ToList() ?? [];
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            throw new AttestationFormatException($"{what}: not PEM or DER certificates: {e.Message}");
        }
        if (certificates.Count == 0) throw new AttestationFormatException($"{what}: holds no certificate");
        if (certificates.Count > MaximumCertificates) throw new AttestationFormatException($"{what}: more than {MaximumCertificates} certificates");
        return certificates;
    }

    /// <summary>Checks the chain; <paramref name="keys"/> are the candidate policy keys, and the index of the attested one is returned.</summary>
    public static (KeyAttestation Result, int AttestedKey) Verify(IReadOnlyList<X509Certificate> chain, IReadOnlyList<X509Certificate> trusted, IReadOnlyList<PublicKeyMaterial> keys, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(keys);
        if (trusted.Count == 0) throw new ArgumentException("no trusted attestation roots: an empty trust list cannot verify anything", nameof(trusted));
        if (chain.Count == 0) return (KeyAttestation.Fail("the attestation holds no certificate"), -1);
        var leaf = chain[0];
        AttestedProperties properties;
        PublicKeyMaterial attested;
        try
        {
            properties = Properties(leaf);
            attested = PublicKeyMaterial.FromCertificateKey(leaf.GetPublicKey());
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return (KeyAttestation.Fail($"certificate '{leaf.SubjectDN}' cannot be read: {e.Message}"), -1);
        }
        var index = keys.ToList().IndexOf(attested);
        if (index < 0)
        {
            var slot = chain.Skip(1).FirstOrDefault(c => Attests(c, keys));
            return (KeyAttestation.Fail(slot is not null
                ? $"the certificates are in the wrong order: put the slot certificate '{slot.SubjectDN}' (the one that attests the key) first, then the device's attestation certificate (f9)"
                : $"certificate '{leaf.SubjectDN}' attests a different key than the policy's ({attested.Kind}): give the attestation of this key's slot (yubico-piv-tool -a attest -s SLOT), made on the token that holds it", properties), -1);
        }

        foreach (var certificate in chain)
        {
            if (!certificate.IsValid(at))
                return (KeyAttestation.Fail($"certificate '{certificate.SubjectDN}' is not valid on {at:yyyy-MM-dd} (valid {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd})", properties), -1);
        }
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            if (!SignedBy(chain[i], chain[i + 1]))
                return (KeyAttestation.Fail(SignedBy(chain[i + 1], chain[i])
                    ? $"the certificates are in reverse order: '{chain[i + 1].SubjectDN}' is issued by '{chain[i].SubjectDN}', so it must come before it; put the slot certificate first, then the device's attestation certificate (f9)"
                    : $"the signature on certificate '{chain[i].SubjectDN}' does not verify with the key of '{chain[i + 1].SubjectDN}': the next certificate must be the one that issued it (for a YubiKey: the device's f9 certificate from the same token)", properties), -1);
        }
        var last = chain[^1];
        var anchor = trusted.FirstOrDefault(t => t.Equals(last)) ?? trusted.FirstOrDefault(t => SignedBy(last, t));
        if (anchor is null)
            return (KeyAttestation.Fail(chain.Count == 1 && properties.Applet is "PIV" or "OpenPGP"
                ? $"the attestation holds only the slot certificate '{last.SubjectDN}': append the device's attestation certificate (f9) that issued it (yubico-piv-tool -a read-certificate -s f9), so that the chain reaches a root in trust.attestation-roots"
                : $"certificate '{last.SubjectDN}' (issued by '{last.IssuerDN}') does not chain to a root in trust.attestation-roots: add the vendor's root that issued it to trust.attestation-roots (Yubico's are in policies/trust/), or give the chain from this token", properties), -1);
        if (!anchor.IsValid(at))
            return (KeyAttestation.Fail($"trusted certificate '{anchor.SubjectDN}' is not valid on {at:yyyy-MM-dd}", properties), -1);
        if (properties.GeneratedOnDevice == false)
            return (KeyAttestation.Fail($"certificate '{leaf.SubjectDN}' says the key was imported into the token, so a copy may exist outside it", properties), -1);
        return (new KeyAttestation(true, null, anchor.SubjectDN.ToString(), properties), index);
    }

    private static bool Attests(X509Certificate certificate, IReadOnlyList<PublicKeyMaterial> keys)
    {
        try
        {
            return keys.Contains(PublicKeyMaterial.FromCertificateKey(certificate.GetPublicKey()));
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return false;
        }
    }

    private static bool SignedBy(X509Certificate certificate, X509Certificate issuer)
    {
        if (!certificate.IssuerDN.Equivalent(issuer.SubjectDN)) return false;
        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return false;
        }
    }

    private static AttestedProperties Properties(X509Certificate leaf)
    {
        byte[]? Extension(string suffix) => leaf.GetExtensionValue(new DerObjectIdentifier($"{Yubico}.{suffix}"))?.GetOctets();
        long? Serial(byte[]? raw) => raw is null ? null : raw.Length is > 0 and <= 8 && raw[0] != 0x02 ? BigEndian(raw) : ParseDerInteger(raw);

        var piv = Extension("3.3") ?? Extension("3.7") ?? Extension("3.8");
        if (piv is not null)
        {
            var policy = Extension("3.8");
            return new AttestedProperties("PIV", Version(Extension("3.3")), Serial(Extension("3.7")),
                policy is { Length: >= 1 } ? policy[0] switch { 1 => "never", 2 => "once", 3 => "always", _ => $"0x{policy[0]:x2}" } : null,
                policy is { Length: >= 2 } ? policy[1] switch { 1 => "never", 2 => "always", 3 => "cached", _ => $"0x{policy[1]:x2}" } : null,
                Extension("3.9") is { Length: >= 1 } form ? form[0] & 0x0F : null, null);
        }
        // OpenPGP arc, as published by Yubico (developers.yubico.com, PGP/Attestation): .5.2 key source (INTEGER,
        // 0 imported, 1 generated), .5.3 firmware (3 bytes), .5.7 serial (INTEGER), .5.8 user interaction flag
        // (1 byte: 0 off, 1 on, 2 permanent, 3 cached, 4 permanent cached), .5.9 form factor (1 byte).
        var openPgp = Extension("5.3") ?? Extension("5.7") ?? Extension("5.8");
        if (openPgp is not null)
        {
            var source = Extension("5.2");
            return new AttestedProperties("OpenPGP", Version(Extension("5.3")), Serial(Extension("5.7")), null,
                Extension("5.8") is { Length: >= 1 } uif ? uif[0] switch { 0 => "never", 1 or 2 => "always", 3 or 4 => "cached", _ => $"0x{uif[0]:x2}" } : null,
                Extension("5.9") is { Length: >= 1 } form ? form[0] & 0x0F : null,
                source is not { Length: > 0 } ? null : (source[0] == 0x02 ? ParseDerInteger(source) : source[0]) == 1);
        }
        return new AttestedProperties("unknown", null, null, null, null, null, null);
    }

    private static string? Version(byte[]? raw) => raw is { Length: 3 } ? $"{raw[0]}.{raw[1]}.{raw[2]}" : null;

    private static long BigEndian(byte[] raw) => raw.Aggregate(0L, (value, b) => (value << 8) | b);

    private static long? ParseDerInteger(byte[] raw)
    {
        try
        {
            return DerInteger.GetInstance(Asn1Object.FromByteArray(raw)).LongValueExact;
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return null;
        }
    }
}
