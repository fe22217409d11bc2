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

    /// <summary>Name to lowercase digest; null with <paramref name="problem"/> when the list is malformed.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(byte[] bytes, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        problem = null;
        if (bytes.Length > MaximumBytes) return Fail($"larger than {MaximumBytes} bytes", out problem);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return Fail("not UTF-8", out problem);
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        if (lines.Length > MaximumLines) return Fail($"more than {MaximumLines} lines", out problem);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length == 0) continue;
            if (line.Length < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*') || !line[..64].All(char.IsAsciiHexDigit))
                return Fail($"line {i + 1} is not '<64 hex digits>  <name>'", out problem);
            var name = line[66..];
            if (name.Length == 0 || name[0] == ' ' || name[^1] == ' ' || name.Any(c => char.IsControl(c) || c == '\\'))
                return Fail($"line {i + 1} names a file with control characters, backslashes or surrounding spaces", out problem);
            var digest = line[..64].ToLowerInvariant();
            // The same line twice says nothing new (some published lists repeat one); two digests for one name are ambiguous.
            if (!sums.TryAdd(name, digest) && sums[name] != digest) return Fail($"line {i + 1}: '{name}' is listed twice with different digests", out problem);
        }
        return sums.Count == 0 ? Fail("lists no files", out problem) : sums;
    }

    /// <summary>The SHA-256 (hex) naming a set: of its lines sorted by name, in <c>sha256sum</c>'s text format.</summary>
    public static string SetDigest(IReadOnlyDictionary<string, string> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        var text = string.Concat(artifacts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value}  {a.Key}\n"));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static IReadOnlyDictionary<string, string>? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
