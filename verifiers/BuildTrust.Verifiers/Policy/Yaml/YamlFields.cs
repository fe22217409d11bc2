using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Yaml;

/// <summary>
/// Strict readers of a YAML file's values: each takes a node and what it is called, and either returns the value or throws
/// an error naming the file, line and column. Nothing is ever defaulted; a string is never read as a number or a boolean.
/// </summary>
public sealed partial class YamlFields(string source, YamlError error)
{
    public string Source => source;

    /// <summary>For policy files: errors are <see cref="PolicyException"/>s.</summary>
    public static YamlFields ForPolicy(string source) => new(source, (file, line, column, problem) => new PolicyException(file, line, column, problem));

    public Exception Error(YamlNode node, string problem) => error(source, node.Start.Line, node.Start.Column, problem);

    public Exception Unknown(YamlNode node, string key, string allowed) => Error(node, $"unknown key '{Shown(key)}' (allowed here: {allowed})");

    /// <summary>A mapping's key: a plain string (YamlDotNet itself refuses a key given twice).</summary>
    public string Key(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : throw Error(node, "a key must be a plain string");

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value)");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"'{what}' must be a list");

    public string String(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(node, $"'{what}' must be a non-empty string");

    /// <summary>A string that must match <paramref name="pattern"/>; <paramref name="grammar"/> says in words what it must be.</summary>
    public string Matching(YamlNode node, string what, Regex pattern, string grammar)
    {
        var value = String(node, what);
        return pattern.IsMatch(value) ? value : throw Error(node, $"'{what}': '{Shown(value)}' is not {grammar}");
    }

    public int Integer(YamlNode node, string what) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value : throw Error(node, $"'{what}' must be an integer");

    /// <summary>A plain, unsigned whole number (a count or a size in bytes).</summary>
    public long Count(YamlNode node, string what) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value : throw Error(node, $"'{what}' must be an integer");

    public bool Boolean(YamlNode node, string what) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" } => true,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "false" } => false,
        _ => throw Error(node, $"'{what}' must be true or false"),
    };

    public DateOnly Date(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } text } && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : throw Error(node, $"'{what}' must be a date written YYYY-MM-DD");

    /// <summary>Environment variables (NAME: value): names of letters, digits and '_', values of at most 4096 characters without control characters.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment(YamlNode node, string what)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var (nameNode, valueNode) in Mapping(node, $"'{what}'").Children)
        {
            var name = Key(nameNode);
            if (!EnvironmentNamePattern().IsMatch(name)) throw Error(nameNode, $"'{what}': '{Shown(name)}' is not a variable name (letters, digits and '_', not starting with a digit)");
            var text = valueNode is YamlScalarNode { Value: { } value } ? value : throw Error(valueNode, $"'{what}': '{name}' must be a string");
            if (text.Length > 4096 || text.Any(char.IsControl)) throw Error(valueNode, $"'{what}': the value of '{name}' must be at most 4096 characters without control characters");
            variables.Add(KeyValuePair.Create(name, text));
        }
        return variables;
    }

    /// <summary>A value as it may be echoed to a terminal: control characters escaped, long values cut.</summary>
    public static string Shown(string value)
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in value.Length > 120 ? value[..120] : value)
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return value.Length > 120 ? text.Append('…').ToString() : text.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}\z")]
    private static partial Regex EnvironmentNamePattern();
}
