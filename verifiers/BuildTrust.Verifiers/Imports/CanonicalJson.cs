using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// The canonical JSON in-toto v0.9 metadata is signed over: object keys sorted by their UTF-8 bytes, no whitespace, integers only.
/// Its producers differ on strings: in-toto-rs (rebuilderd) escapes them as serde_json does and then turns every <c>\n</c> escape
/// back into a newline; securesystemslib (in-toto's Python tools) escapes only <c>"</c> and <c>\</c>. Both forms are produced here,
/// and a signature counts when it holds over either; nothing else is normalised.
/// </summary>
public static class CanonicalJson
{
    public enum Dialect
    {
        InTotoRs,
        SecureSystemsLib,
    }

    /// <summary>Throws <see cref="FormatException"/> for what canonical JSON cannot hold (a number that is not an integer).</summary>
    public static byte[] Write(JsonNode? node, Dialect dialect)
    {
        var text = new StringBuilder();
        Append(text, node, dialect, depth: 0);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return dialect == Dialect.InTotoRs ? Encoding.UTF8.GetBytes(text.ToString().Replace("\\n", "\n", StringComparison.Ordinal)) : bytes;
    }

    private static void Append(StringBuilder text, JsonNode? node, Dialect dialect, int depth)
    {
        if (depth > 64) throw new FormatException("nested deeper than 64 levels");
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject map:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in map.OrderBy(p => p.Key, Utf8Order.Instance))
                {
                    if (!first) text.Append(',');
                    first = false;
                    AppendString(text, key, dialect);
                    text.Append(':');
                    Append(text, value, dialect, depth + 1);
                }
                text.Append('}');
                break;
            case JsonArray list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Append(text, list[i], dialect, depth + 1);
                }
                text.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String: AppendString(text, value.GetValue<string>(), dialect); break;
                    case JsonValueKind.True: text.Append("true"); break;
                    case JsonValueKind.False: text.Append("false"); break;
                    case JsonValueKind.Null: text.Append("null"); break;
                    case JsonValueKind.Number:
                        var raw = value.ToJsonString();
                        if (long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var integer))
                            text.Append(integer.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        else if (ulong.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var unsigned))
                            text.Append(unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        else throw new FormatException($"the number {raw[..Math.Min(raw.Length, 40)]} is not an integer; canonical JSON has none other");
                        break;
                    default: throw new FormatException("an unsupported JSON value");
                }
                break;
        }
    }

    private static void AppendString(StringBuilder text, string value, Dialect dialect)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case < ' ' when dialect == Dialect.InTotoRs:
                    text.Append(c switch
                    {
                        '\b' => "\\b",
                        '\f' => "\\f",
                        '\n' => "\\n",
                        '\r' => "\\r",
                        '\t' => "\\t",
                        _ => $"\\u{(int)c:x4}",
                    });
                    break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    private sealed class Utf8Order : IComparer<string>
    {
        public static Utf8Order Instance { get; } = new();

        public int Compare(string? x, string? y) => Encoding.UTF8.GetBytes(x ?? "").AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? ""));
    }
}
