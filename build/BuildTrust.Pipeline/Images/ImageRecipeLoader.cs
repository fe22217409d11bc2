using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Verifiers.Policy;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Pipeline.Images;

/// <summary>Reads an image recipe (YAML, strict: unknown keys are errors). See <c>images/*.yaml</c> for the documented shape.</summary>
public static partial class ImageRecipeLoader
{
    private const string Allowed = "name, suite, mirror, variant, packages, source-date-epoch, folders, env";

    public static ImageRecipe Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageRecipeException($"{path}: cannot read the recipe: {e.Message}", e);
        }
        YamlNode root;
        try
        {
            root = PolicyLoader.ReadSingleDocument(Encoding.UTF8.GetString(bytes), path);
        }
        catch (PolicyException e)
        {
            throw new ImageRecipeException(e.Message, e);
        }
        var mapping = root as YamlMappingNode ?? throw Error(path, root, "a recipe is a mapping (key: value)");
        string? name = null, suite = null, mirror = "http://deb.debian.org/debian", variant = "essential";
        long? epoch = null;
        var packages = new List<string>();
        var folders = new List<ImageFolder>();
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "name": name = Matching(path, value, key, NamePattern()); break;
                case "suite": suite = Matching(path, value, key, WordPattern()); break;
                case "mirror": mirror = Scalar(path, value, key); break;
                case "variant": variant = Matching(path, value, key, WordPattern()); break;
                case "packages": packages.AddRange(Items(path, value, key).Select(item => Matching(path, item, "packages", PackagePattern()))); break;
                case "source-date-epoch":
                    epoch = long.TryParse(Scalar(path, value, key), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                        ? parsed : throw Error(path, value, "'source-date-epoch' must be a number of seconds");
                    break;
                case "folders": folders.AddRange(Items(path, value, key).Select(item => Folder(path, item))); break;
                case "env":
                    var env = value as YamlMappingNode ?? throw Error(path, value, "'env' must be a mapping NAME: value");
                    environment.AddRange(env.Children.Select(pair => KeyValuePair.Create(
                        Matching(path, pair.Key, "env", EnvironmentNamePattern()), Scalar(path, pair.Value, "env"))));
                    break;
                default: throw Error(path, keyNode, $"unknown key '{key}' (allowed: {Allowed})");
            }
        }
        return new ImageRecipe(path,
            name ?? throw Error(path, mapping, "'name' is required"),
            suite ?? throw Error(path, mapping, "'suite' is required (a Debian suite such as bookworm)"),
            mirror, variant, packages,
            epoch ?? throw Error(path, mapping, "'source-date-epoch' is required: it is what makes two runs identical"),
            folders, environment, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static ImageFolder Folder(string path, YamlNode node)
    {
        var mapping = node as YamlMappingNode ?? throw Error(path, node, "a folder is a mapping with 'from', 'to' and optional 'exclude'");
        string? from = null, to = null;
        var exclude = new List<string>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            switch ((keyNode as YamlScalarNode)?.Value)
            {
                case "from": from = Scalar(path, value, "from"); break;
                case "to": to = Scalar(path, value, "to"); break;
                case "exclude": exclude.AddRange(Items(path, value, "exclude").Select(item => Scalar(path, item, "exclude"))); break;
                default: throw Error(path, keyNode, "unknown key (allowed: from, to, exclude)");
            }
        }
        if (from is null || to is null) throw Error(path, node, "a folder needs 'from' and 'to'");
        if (!to.StartsWith('/') || to.Split('/').Contains("..")) throw Error(path, node, $"'to: {to}' must be an absolute path without '..'");
        return new ImageFolder(from, to, exclude);
    }

    private static IEnumerable<YamlNode> Items(string path, YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(path, node, $"'{what}' must be a list");

    private static string Scalar(string path, YamlNode node, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(path, node, $"'{what}' must be a non-empty string");

    private static string Matching(string path, YamlNode node, string what, Regex pattern)
    {
        var value = Scalar(path, node, what);
        return pattern.IsMatch(value) ? value : throw Error(path, node, $"'{what}': '{value}' is not allowed here");
    }

    private static ImageRecipeException Error(string path, YamlNode node, string problem) =>
        new($"{path}:{node.Start.Line}:{node.Start.Column}: {problem}");

    [GeneratedRegex("^[a-z0-9][a-z0-9._/-]{0,127}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex WordPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]{0,99}(=[A-Za-z0-9.+~:-]{1,64})?$")]
    private static partial Regex PackagePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex EnvironmentNamePattern();
}
