using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using BuildTrust.Verifiers.Signatures.Ssh;
using Org.BouncyCastle.X509;

namespace BuildTrust.Verifiers.Evidence;

/// <summary>
/// Verifies OpenSSH's FIDO enrollment attestation (<c>ssh-keygen -t ed25519-sk|ecdsa-sk -O challenge=FILE
/// -O write-attestation=FILE</c>, format <c>ssh-sk-attest-v01</c>: attestation certificate, enrollment
/// signature, authenticator data, reserved flags, reserved string). The enrollment signature is the
/// authenticator's "packed" attestation over authenticatorData ‖ SHA-256(challenge), or for U2F-only keys the
/// "fido-u2f" layout; the certificate must
/// chain to a trusted FIDO root; the authenticator data must name the key's application and hold exactly
/// the policy's public key. This is what tells a genuine security key from a software emulator.
/// </summary>
public static class FidoEnrollmentAttestation
{
    private const string Magic = "ssh-sk-attest-v01";

    public static KeyAttestation Verify(byte[] file, byte[] challenge, SshPublicKey key, IReadOnlyList<X509Certificate> trusted, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsSecurityKey) throw new ArgumentException("FIDO enrollment attestation applies to sk-* keys", nameof(key));
        if (file.Length > KeyAttestationVerifier.MaximumFileBytes) throw new AttestationFormatException("the attestation file is too large");
        byte[] certificate, signature, authenticatorData;
        try
        {
            var reader = new SshWireReader(file);
            if (reader.ReadAscii() != Magic) throw new AttestationFormatException($"not an {Magic} attestation");
            certificate = reader.ReadString().ToArray();
            signature = reader.ReadString().ToArray();
            authenticatorData = ReadAuthenticatorData(reader.ReadString().ToArray());
            reader.ReadUInt32();
            reader.ReadString();
            reader.ExpectEnd("the attestation");
        }
        catch (SshFormatException e)
        {
            throw new AttestationFormatException($"malformed {Magic} attestation: {e.Message}");
        }
        var chain = KeyAttestationVerifier.ReadCertificates(certificate, "the attestation certificate");
        var leaf = chain[0];
        var credential = ParseAuthenticatorData(authenticatorData, out var rpIdHash, out var aaguid, out var credentialId);
        var properties = new AttestedProperties("FIDO", null, null, null, null, null, null) { Aaguid = aaguid, EnrollmentFlags = authenticatorData[32] };

        if (!rpIdHash.AsSpan().SequenceEqual(SHA256.HashData(Encoding.UTF8.GetBytes(key.Application!))))
            return KeyAttestation.Fail($"the enrolled credential is for another application than '{key.Application}'", properties);
        if (credential != PublicKeyMaterial.FromSecurityKey(key))
            return KeyAttestation.Fail("the enrolled credential is a different key than the policy's", properties);
        var clientDataHash = SHA256.HashData(challenge);
        try
        {
            // OpenSSH does not record the statement format: a FIDO2 key makes a "packed" statement over
            // authenticatorData ‖ clientDataHash; an older U2F-only key (libfido2's "fido-u2f") signs
            // 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ the uncompressed P-256 credential key.
            byte[][] candidates = credentialId.Length > 0 && credential.Kind == "ec-p256"
                ? [[.. authenticatorData, .. clientDataHash], [0x00, .. rpIdHash, .. clientDataHash, .. credentialId, .. Convert.FromHexString(credential.Value)]]
                : [[.. authenticatorData, .. clientDataHash]];
            if (!candidates.Any(signed => VerifiesWith(leaf, signed, signature)))
                return KeyAttestation.Fail($"the enrollment signature does not verify with '{leaf.SubjectDN}' (wrong challenge, or altered data)", properties);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return KeyAttestation.Fail($"the enrollment signature cannot be checked with '{leaf.SubjectDN}': {e.Message}", properties);
        }
        PublicKeyMaterial certified;
        try
        {
            certified = PublicKeyMaterial.FromCertificateKey(leaf.GetPublicKey());
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return KeyAttestation.Fail($"the key of '{leaf.SubjectDN}' cannot be read: {e.Message}", properties);
        }
        var (result, _) = KeyAttestationVerifier.Verify(chain, trusted, [certified], at);
        return result with { Properties = properties };
    }

    private static bool VerifiesWith(Org.BouncyCastle.X509.X509Certificate certificate, byte[] signed, byte[] signature)
    {
        var verifier = Org.BouncyCastle.Security.SignerUtilities.GetSigner("SHA-256withECDSA");
        verifier.Init(false, certificate.GetPublicKey());
        verifier.BlockUpdate(signed, 0, signed.Length);
        return verifier.VerifySignature(signature);
    }

    /// <summary>The authenticator data, a CBOR byte string (CTAP2 canonical) with nothing after it.</summary>
    private static byte[] ReadAuthenticatorData(byte[] cbor)
    {
        try
        {
            var reader = new CborReader(cbor, CborConformanceMode.Ctap2Canonical);
            var data = reader.ReadByteString();
            if (reader.BytesRemaining != 0) throw new AttestationFormatException("data follows the authenticator data");
            return data;
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException)
        {
            throw new AttestationFormatException($"the authenticator data is not a canonical CBOR byte string: {e.Message}");
        }
    }

    /// <summary>
    /// Skips a COSE key value this verifier does not use. The values COSE keys hold are integers and strings; a nested
    /// container is refused rather than walked (a 40 KB attestation of 20,000 nested maps once overflowed the stack).
    /// </summary>
    private static void SkipShallow(CborReader reader)
    {
        if (reader.PeekState() is CborReaderState.StartMap or CborReaderState.StartArray or CborReaderState.Tag)
            throw new AttestationFormatException("the COSE key holds a nested value where a plain one is expected");
        reader.SkipValue();
    }

    /// <summary>rpIdHash(32) flags(1) counter(4) aaguid(16) credIdLen(2) credId COSE_Key [extensions].</summary>
    private static PublicKeyMaterial ParseAuthenticatorData(byte[] data, out byte[] rpIdHash, out string aaguid, out byte[] credentialId)
    {
        const byte AttestedCredentialData = 0x40;
        if (data.Length < 37 + 18) throw new AttestationFormatException("the authenticator data is truncated");
        rpIdHash = data[..32];
        if ((data[32] & AttestedCredentialData) == 0) throw new AttestationFormatException("the authenticator data holds no attested credential");
        aaguid = new Guid(data.AsSpan(37, 16), bigEndian: true).ToString();
        var idLength = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(53, 2));
        var keyStart = 55 + idLength;
        if (keyStart >= data.Length) throw new AttestationFormatException("the authenticator data is truncated");
        credentialId = data[55..keyStart];
        long? kty = null, crv = null;
        byte[]? x = null, y = null;
        try
        {
            // The COSE key may be followed by extensions: read one item and leave the rest.
            var cose = new CborReader(data.AsMemory(keyStart), CborConformanceMode.Ctap2Canonical, allowMultipleRootLevelValues: true);
            var entries = cose.ReadStartMap() ?? throw new AttestationFormatException("the COSE key is a map of indefinite length");
            if (entries > 64) throw new AttestationFormatException("the COSE key has too many entries");
            for (; entries > 0; entries--)
            {
                switch (cose.ReadInt64())
                {
                    case 1: kty = cose.ReadInt64(); break;
                    case -1: crv = cose.ReadInt64(); break;
                    case -2: x = cose.ReadByteString(); break;
                    case -3: y = cose.ReadByteString(); break;
                    default: SkipShallow(cose); break;
                }
            }
            cose.ReadEndMap();
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new AttestationFormatException($"the COSE credential key is not canonical CBOR: {e.Message}");
        }
        return (kty, crv) switch
        {
            (2, 1) when x is { Length: 32 } && y is { Length: 32 } => new PublicKeyMaterial("ec-p256", Convert.ToHexString([0x04, .. x, .. y])),
            (1, 6) when x is { Length: 32 } => new PublicKeyMaterial("ed25519", Convert.ToHexString(x)),
            _ => throw new AttestationFormatException($"unsupported credential key (COSE kty {kty}, crv {crv})"),
        };
    }
}
