namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// The OpenTimestamps proof that opentimestamps-client's <c>ots-git-gpg-wrapper</c> appends to a commit's
/// OpenPGP signature, right after its END line (otsclient/git.py, <c>write_ascii_armored</c>): the BEGIN line,
/// an empty line, the base64 of major version 1, minor version 0 or 1 and the serialized timestamp in lines of
/// 64 characters (the last one shorter or equal), and the END line. Git and gpg ignore it. Exactly that shape
/// is accepted and nothing else; the proof itself is not verified (that needs the Bitcoin block headers).
/// </summary>
public static class OpenTimestampsBlock
{
    public const string Begin = "-----BEGIN OPENTIMESTAMPS GIT TIMESTAMP-----";
    public const string End = "-----END OPENTIMESTAMPS GIT TIMESTAMP-----";
    private const int LineLength = 64;
    private static readonly System.Buffers.SearchValues<char> Base64Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>Checks the text that follows a signature's END line; throws <see cref="OpenPgpFormatException"/> unless it is exactly one such block.</summary>
    /// <param name="block">From the BEGIN line to the END line, optionally followed by one line feed.</param>
    public static void Check(string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var lines = (block.EndsWith('\n') ? block[..^1] : block).Split('\n');
        if (lines.Length < 4 || lines[0] != Begin || lines[1].Length != 0)
            throw new OpenPgpFormatException($"an OpenTimestamps block after the signature starts with '{Begin}' and an empty line");
        if (lines[^1] != End)
            throw new OpenPgpFormatException($"the OpenTimestamps block must end with '{End}' and nothing may follow it");
        var body = lines[2..^1];
        for (var i = 0; i < body.Length; i++)
        {
            var last = i == body.Length - 1;
            if (last ? body[i].Length is 0 or > LineLength : body[i].Length != LineLength)
                throw new OpenPgpFormatException($"the OpenTimestamps block's base64 lines must be {LineLength} characters long, the last one at most {LineLength}");
        }
        var encoded = string.Concat(body);
        var proof = new byte[encoded.Length / 4 * 3];
        if (encoded.Length % 4 != 0 || encoded.AsSpan().ContainsAnyExcept(Base64Alphabet) || !Convert.TryFromBase64String(encoded, proof, out var length))
            throw new OpenPgpFormatException("the OpenTimestamps block is not valid base64");
        if (length < 3 || proof[0] != 1 || proof[1] > 1)
            throw new OpenPgpFormatException("the OpenTimestamps block is not a version 1.0 or 1.1 git timestamp");
    }
}
