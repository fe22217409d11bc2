namespace BuildTrust.Verifiers.Statements.Sigstore;

/// <summary>
/// A parsed Sigstore bundle v0.3 with a public-key hint: exactly one of a message signature (over an
/// artifact's SHA-256) or a DSSE envelope with exactly one signature. Construct through <see cref="SigstoreBundleReader"/>.
/// </summary>
public sealed record SigstoreBundle(string Source, string PublicKeyHint, MessageSignatureContent? MessageSignature, DsseContent? Dsse);

/// <summary><c>messageSignature</c>: the artifact digest (SHA2_256) and the ECDSA signature (DER) over the artifact.</summary>
public sealed record MessageSignatureContent(byte[] Sha256, byte[] Signature);

/// <summary><c>dsseEnvelope</c> with its one signature.</summary>
public sealed record DsseContent(byte[] Payload, string PayloadType, string KeyId, byte[] Signature);
