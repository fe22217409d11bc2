using System.Text;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// A digest list as <c>sha256sum</c> writes it and other projects publish it: <c>&lt;64 hex&gt;  &lt;name&gt;</c> (or <c>*&lt;name&gt;</c> in
/// binary mode), one per line, in any order. Strict otherwise: UTF-8, no name with two digests, no control characters, backslashes or
/// leading/trailing spaces in names, bounded size.
/// </summary>
public static class Sha256Sums
{
    public const int MaximumBytes = 4 << 20;
    public const int MaximumLines = 100_000;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Control characters (C0, DEL, C1) and the backslash, which sha256sum escapes.</summary>
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(c => (char)c), '\\', .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]);

    /// <summary>Name to lowercase digest; null with <paramref name="problem"/> when the list is malformed.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(byte[] bytes, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        problem = null;
        if (bytes.Length > MaximumBytes) return Fail($"larger than {MaximumBytes} bytes", out problem);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return Fail("not UTF-8", out problem);
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = Encoding.UTF8.GetString(bytes).AsSpan();
        var number = 0;
        foreach (var range in text.Split('\n'))
        {
            if (++number > MaximumLines) return Fail($"more than {MaximumLines} lines", out problem);
            var line = text[range];
            if (line.EndsWith('\r')) line = line[..^1];
            if (line.IsEmpty) continue;
            if (line.Length < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') || line[..64].ContainsAnyExcept(HexDigits))
                return Fail($"line {number} is not '<64 hex digits>  <name>'", out problem);
            var name = line[66..];
            if (name[0] == ' ' || name[^1] == ' ' || name.ContainsAny(Forbidden))
                return Fail($"line {number} names a file with control characters, backslashes or surrounding spaces", out problem);
            var nameText = name.ToString();
            var digest = line[..64].ToString().ToLowerInvariant();
            // The same line twice says nothing new (some published lists repeat one); two digests for one name are ambiguous.
            if (!sums.TryAdd(nameText, digest) && sums[nameText] != digest) return Fail($"line {number}: '{nameText}' is listed twice with different digests", out problem);
        }
        return sums.Count == 0 ? Fail("lists no files", out problem) : sums;
    }

    /// <summary>The SHA-256 (hex) naming a set: of its lines sorted by name, in <c>sha256sum</c>'s text format.</summary>
    public static string SetDigest(IReadOnlyDictionary<string, string> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var names = new string[artifacts.Count];
        var i = 0;
        foreach (var name in artifacts.Keys) names[i++] = name;
        Array.Sort(names, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var name in names) text.Append(artifacts[name]).Append("  ").Append(name).Append('\n');
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static IReadOnlyDictionary<string, string>? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
