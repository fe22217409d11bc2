using System.Security.Cryptography;
using System.Text;
using BuildTrust.Testing.Ssh;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>
/// Signs as opentimestamps-client's <c>ots-git-gpg-wrapper</c> does: gpg's armored signature, then an
/// OpenTimestamps block in the wrapper's layout (otsclient/git.py <c>write_ascii_armored</c>: BEGIN line, empty
/// line, base64 of version 1.1 and the serialized timestamp in 64-character lines, END line). The timestamp's
/// message is implicit (the wrapper's SHA-256(SHA-256(commit) ‖ SHA-256(signature))): what is serialized is a
/// nonce append, SHA-256 and a pending calendar attestation, as a fresh timestamp has; no calendar is contacted.
/// <paramref name="tamper"/> may rewrite the block to make malformed twins.
/// </summary>
public sealed class OpenTimestampsWrapperSigner(ISigner gpg, Func<string, string>? tamper = null) : ISigner
{
    public const string Begin = "-----BEGIN OPENTIMESTAMPS GIT TIMESTAMP-----";
    public const string End = "-----END OPENTIMESTAMPS GIT TIMESTAMP-----";
    private static readonly byte[] PendingAttestationTag = [0x83, 0xdf, 0xe3, 0x0d, 0x2e, 0xf9, 0x0c, 0x8e];

    public string PublicKeyLine => "";

    /// <summary>The last message signed and the full signature text written (gpg's armor and the block).</summary>
    public (byte[] Message, string Signature)? Last { get; private set; }

    public string Sign(byte[] message, string @namespace)
    {
        var signature = gpg.Sign(message, @namespace);
        var block = Block();
        var text = signature + (tamper is null ? block : tamper(block));
        Last = (message, text);
        return text;
    }

    /// <summary>A block as the wrapper writes it for a timestamp not yet upgraded: append a nonce, SHA-256, a pending attestation.</summary>
    public static string Block()
    {
        var url = "https://alice.btc.calendar.opentimestamps.org"u8.ToArray();
        byte[] timestamp = [0xf0, 0x10, .. RandomNumberGenerator.GetBytes(16), 0x08, 0x00, .. PendingAttestationTag, (byte)(url.Length + 1), (byte)url.Length, .. url];
        var encoded = Convert.ToBase64String([0x01, 0x01, .. timestamp]);
        var text = new StringBuilder(Begin).Append("\n\n");
        for (var i = 0; i < encoded.Length; i += 64) text.Append(encoded.AsSpan(i, Math.Min(64, encoded.Length - i))).Append('\n');
        return text.Append(End).Append('\n').ToString();
    }
}
