using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// A maintainer's OpenPGP public key (one transferable public key, armored or binary), parsed and checked
/// for an accepted primary key with a valid self-signature. Signing keys, expiry and revocation are
/// evaluated per signature by <see cref="OpenPgpSignatureVerifier"/>.
/// </summary>
public sealed class OpenPgpKey
{
    public const int MaximumKeyFileBytes = 1024 * 1024;

    private OpenPgpKey(PgpPublicKeyRing ring, PgpPublicKey primary)
    {
        Ring = ring;
        Primary = primary;
        Fingerprint = OpenPgpAlgorithms.Fingerprint(primary);
        KeyIds = ring.GetPublicKeys().Select(k => k.KeyId).ToList();
        SigningKeys = SigningKeyState.Evaluate(ring, primary);
    }

    /// <summary>Every key of the file by key id, with whether and until when it may sign.</summary>
    internal IReadOnlyDictionary<long, SigningKeyState> SigningKeys { get; }

    /// <summary>The primary key's v4 fingerprint, uppercase hex.</summary>
    public string Fingerprint { get; }

    /// <summary>Key ids of the primary key and every subkey (a signature names its key by one of these).</summary>
    public IReadOnlyList<long> KeyIds { get; }

    internal PgpPublicKeyRing Ring { get; }

    internal PgpPublicKey Primary { get; }

    public string KeyType => OpenPgpAlgorithms.Describe(Primary);

    /// <summary>The primary key's user ids as written (for example <c>Alice &lt;alice@example.org&gt;</c>): names for people, never used to decide.</summary>
    public IReadOnlyList<string> UserIds => [.. Primary.GetUserIds()];

    /// <summary>Parses a key file; throws <see cref="OpenPgpFormatException"/> when it is not exactly one usable v4 public key.</summary>
    public static OpenPgpKey Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > MaximumKeyFileBytes) throw new OpenPgpFormatException($"the key file is larger than {MaximumKeyFileBytes} bytes");
        RefuseExtraArmor(data);
        PgpPublicKeyRing ring;
        try
        {
            using var input = PgpUtilities.GetDecoderStream(new MemoryStream(data));
            var factory = new PgpObjectFactory(input);
            var rings = new List<PgpPublicKeyRing>();
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                rings.Add(item as PgpPublicKeyRing ?? throw new OpenPgpFormatException($"the key file holds a {item.GetType().Name}, not only a public key"));
            }
            if (rings.Count != 1) throw new OpenPgpFormatException($"the key file holds {rings.Count} public keys; give exactly one per file");
            ring = rings[0];
        }
        catch (Exception e) when (e is not OpenPgpFormatException && Checks.ParserFailure.IsMalformedInput(e))
        {
            throw new OpenPgpFormatException($"the key file does not parse as OpenPGP: {e.Message}");
        }
        var primary = ring.GetPublicKey();
        if (!primary.IsMasterKey) throw new OpenPgpFormatException("the key file does not start with a primary key");
        if (OpenPgpAlgorithms.RefuseKey(primary) is { } refusal) throw new OpenPgpFormatException(refusal);
        if (OpenPgpKeyState.LatestSelfSignature(primary) is { Signature: null } self)
        {
            var remedy = self.Refused is { } refused && OpenPgpAlgorithms.RefuseHash(refused.HashAlgorithm) is not null
                ? $"; re-issue the self-signatures with a SHA-2 hash (gpg --cert-digest-algo SHA512 --quick-set-expire {OpenPgpAlgorithms.Fingerprint(primary)} EXPIRY)"
                : "";
            throw new OpenPgpFormatException($"the primary key has no valid self-signature: {self.Refusal}{remedy}");
        }
        return new OpenPgpKey(ring, primary);
    }

    /// <summary>The armor decoder stops at the first block's end: anything after it would be silently ignored, so it is refused.</summary>
    private static void RefuseExtraArmor(byte[] data)
    {
        var text = System.Text.Encoding.Latin1.GetString(data);
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith("-----BEGIN PGP", StringComparison.Ordinal)) return;
        const string End = "-----END PGP PUBLIC KEY BLOCK-----";
        var blocks = text.Split("-----BEGIN PGP", StringSplitOptions.None).Length - 1;
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (blocks != 1 || end < 0 || !string.IsNullOrWhiteSpace(text[(end + End.Length)..]))
            throw new OpenPgpFormatException("the key file must hold exactly one armored public key block and nothing after it");
    }

    public override string ToString() => $"{KeyType} {Fingerprint}";
}
