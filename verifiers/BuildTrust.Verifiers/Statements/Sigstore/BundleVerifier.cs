using System.Security.Cryptography;

namespace BuildTrust.Verifiers.Statements.Sigstore;

/// <summary>
/// Verifies bundles against one expected ECDSA P-256 key. Unlike sigstore-js, it also checks that a message
/// signature's digest is the artifact's and that a DSSE envelope has the expected payload type.
/// </summary>
public static class BundleVerifier
{
    public static BundleCheck VerifyDsse(ReadOnlySpan<byte> bundleJson, string source, byte[] subjectPublicKeyInfo, string expectedPayloadType)
    {
        SigstoreBundle bundle;
        try
        {
            bundle = SigstoreBundleReader.Parse(bundleJson, source);
        }
        catch (SigstoreBundleException e)
        {
            return new BundleCheck(BundleStatus.Malformed, e.Message);
        }
        if (bundle.Dsse is not { } dsse) return new BundleCheck(BundleStatus.Failed, $"{source}: expected a DSSE envelope, found a message signature");
        if (KeyMismatch(bundle, subjectPublicKeyInfo) is { } mismatch) return mismatch;
        if (dsse.KeyId != bundle.PublicKeyHint) return new BundleCheck(BundleStatus.Failed, $"{source}: the DSSE keyid is not the bundle's public-key hint");
        if (dsse.PayloadType != expectedPayloadType)
            return new BundleCheck(BundleStatus.Failed, $"{source}: payload type '{dsse.PayloadType}' is not '{expectedPayloadType}'");
        return Verify(subjectPublicKeyInfo, Dsse.PreAuthenticationEncoding(dsse.PayloadType, dsse.Payload), dsse.Signature)
            ? new BundleCheck(BundleStatus.Verified, $"{source}: DSSE signature verified", dsse.Payload)
            : new BundleCheck(BundleStatus.Failed, $"{source}: the DSSE signature does not verify with the expected key");
    }

    public static BundleCheck VerifyMessageSignature(ReadOnlySpan<byte> bundleJson, string source, byte[] subjectPublicKeyInfo, ReadOnlySpan<byte> artifactSha256)
    {
        SigstoreBundle bundle;
        try
        {
            bundle = SigstoreBundleReader.Parse(bundleJson, source);
        }
        catch (SigstoreBundleException e)
        {
            return new BundleCheck(BundleStatus.Malformed, e.Message);
        }
        if (bundle.MessageSignature is not { } message) return new BundleCheck(BundleStatus.Failed, $"{source}: expected a message signature, found a DSSE envelope");
        if (KeyMismatch(bundle, subjectPublicKeyInfo) is { } mismatch) return mismatch;
        if (!message.Sha256.AsSpan().SequenceEqual(artifactSha256))
            return new BundleCheck(BundleStatus.Failed, $"{source}: the signed digest is not the artifact's SHA-256");
        return VerifyDigest(subjectPublicKeyInfo, artifactSha256, message.Signature)
            ? new BundleCheck(BundleStatus.Verified, $"{source}: signature verified")
            : new BundleCheck(BundleStatus.Failed, $"{source}: the signature does not verify with the expected key");
    }

    private static BundleCheck? KeyMismatch(SigstoreBundle bundle, byte[] subjectPublicKeyInfo) =>
        bundle.PublicKeyHint == Dsse.KeyHint(subjectPublicKeyInfo) ? null
            : new BundleCheck(BundleStatus.Failed, $"{bundle.Source}: signed by another key (hint {bundle.PublicKeyHint}, expected {Dsse.KeyHint(subjectPublicKeyInfo)})");

    private static bool Verify(byte[] subjectPublicKeyInfo, byte[] data, byte[] signature) =>
        VerifyDigest(subjectPublicKeyInfo, SHA256.HashData(data), signature);

    private static bool VerifyDigest(byte[] subjectPublicKeyInfo, ReadOnlySpan<byte> digest, byte[] signature)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException)
        {
            return false;
        }
        if (key.KeySize != 256) return false;
        try
        {
            return key.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
