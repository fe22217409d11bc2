using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>An armored, detached OpenPGP signature holding exactly one signature packet.</summary>
public sealed class OpenPgpSignature
{
    public const string ArmorBegin = "-----BEGIN PGP SIGNATURE-----";
    public const string ArmorEnd = "-----END PGP SIGNATURE-----";
    private const int MaximumArmoredLength = 64 * 1024;

    private OpenPgpSignature(PgpSignature packet, bool hasOpenTimestampsProof)
    {
        Packet = packet;
        HasOpenTimestampsProof = hasOpenTimestampsProof;
        KeyId = OpenPgpSubpackets.IssuerKeyId(packet);
    }

    internal PgpSignature Packet { get; }

    /// <summary>The key id the signature names: from its hashed issuer fingerprint when present, else its issuer key id (a lookup hint; the key must still verify the signature).</summary>
    public long KeyId { get; }

    /// <summary>An OpenTimestamps proof followed the armor (see <see cref="OpenTimestampsBlock"/>); it is not verified.</summary>
    public bool HasOpenTimestampsProof { get; }

    public HashAlgorithmTag Hash => Packet.HashAlgorithm;

    /// <summary>The creation time the signature claims (its hashed subpacket; UTC).</summary>
    public DateTime CreatedAt => Packet.CreationTime;

    public static bool IsArmoredOpenPgpSignature(string text) => text.AsSpan().TrimStart().StartsWith(ArmorBegin, StringComparison.Ordinal);

    /// <summary>
    /// Parses the armored signature, optionally followed by an OpenTimestamps block; throws
    /// <see cref="OpenPgpFormatException"/> for anything but one signature packet (and that block).
    /// </summary>
    public static OpenPgpSignature Parse(string armored)
    {
        ArgumentNullException.ThrowIfNull(armored);
        if (armored.Length > MaximumArmoredLength) throw new OpenPgpFormatException($"the armored signature is larger than {MaximumArmoredLength} bytes");
        var trimmed = armored.AsSpan().Trim();
        if (!trimmed.IsEmpty && trimmed[1..].IndexOf(ArmorBegin, StringComparison.Ordinal) >= 0) throw new OpenPgpFormatException("more than one armored block");
        var timestamped = false;
        var end = armored.IndexOf(ArmorEnd + "\n" + OpenTimestampsBlock.Begin, StringComparison.Ordinal);
        if (end >= 0)
        {
            OpenTimestampsBlock.Check(armored[(end + ArmorEnd.Length + 1)..]);
            armored = armored[..(end + ArmorEnd.Length)];
            timestamped = true;
        }
        var packets = OpenPgpArmor.Decode(armored, "SIGNATURE");
        try
        {
            var factory = new PgpObjectFactory(packets);
            var signatures = new List<PgpSignature>();
            for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
            {
                if (item is not PgpSignatureList list) throw new OpenPgpFormatException($"the armor holds a {item.GetType().Name}, not a signature");
                for (var i = 0; i < list.Count; i++) signatures.Add(list[i]);
            }
            if (signatures.Count != 1) throw new OpenPgpFormatException($"the armor holds {signatures.Count} signatures; exactly one is expected");
            return new OpenPgpSignature(signatures[0], timestamped);
        }
        catch (Exception e) when (e is not OpenPgpFormatException && Checks.ParserFailure.IsMalformedInput(e))
        {
            throw new OpenPgpFormatException($"malformed OpenPGP signature: {e.Message}");
        }
    }
}
