using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Pipeline.Images;

/// <summary>
/// Reads an image recipe (YAML, strict: unknown or repeated keys are errors). See <c>images/*.yaml</c> for the documented shape.
/// A recipe is hostile input that <c>image build</c> turns into a root command line and host file reads, so every
/// value is checked against its real grammar here, and errors name the file, line, column and field.
/// </summary>
public static partial class ImageRecipeLoader
{
    private const string Allowed = "name, suite, mirror, variant, packages, source-date-epoch, folders, env";
    private const int MaxRecipeBytes = 1 << 20;

    /// <summary>The largest SOURCE_DATE_EPOCH an image config can carry (9999-12-31T23:59:59Z).</summary>
    private const long MaxSourceDateEpoch = 253402300799;

    /// <summary>mmdebstrap's variants (its manual, OPTIONS --variant), without '-', its alias of 'important'.</summary>
    private static readonly string[] Variants = ["extract", "custom", "essential", "apt", "required", "minbase", "buildd", "important", "debootstrap", "standard"];

    /// <summary>Where the builder mounts its own volumes: image content there would be copied into the fresh volume.</summary>
    private static readonly string[] BuilderMounts = ["src", "out", "build"];

    public static ImageRecipe Load(string path)
    {
        var bytes = ReadRecipe(path);
        YamlNode root;
        try
        {
            root = PolicyLoader.ReadSingleDocument(Encoding.UTF8.GetString(bytes), path);
        }
        catch (PolicyException e)
        {
            throw new ImageRecipeException(e.Message, e);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var mapping = root as YamlMappingNode ?? throw Error(path, root, "a recipe is a mapping (key: value)");
        string? name = null, suite = null, mirror = "http://deb.debian.org/debian", variant = "essential";
        long? epoch = null;
        var packages = new List<string>();
        var folders = new List<ImageFolder>();
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var (keyNode, value) in Keys(path, mapping))
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            switch (key)
            {
                case "name": name = Matching(path, value, key, ImageNamePattern(), "a Docker repository name: lowercase components joined by '.', '_', '__' or '-', separated by '/'"); break;
                case "suite": suite = Matching(path, value, key, SuitePattern(), "a Debian suite or codename such as bookworm or bookworm-backports"); break;
                case "mirror": mirror = Matching(path, value, key, MirrorPattern(), "an http://, https:// or file:/// URL without credentials, spaces, quotes or shell characters"); break;
                case "variant":
                    variant = Scalar(path, value, key);
                    if (!Variants.Contains(variant, StringComparer.Ordinal)) throw Error(path, value, $"'variant': '{Shown(variant)}' is not one of mmdebstrap's variants ({string.Join(", ", Variants)})");
                    break;
                case "packages": packages.AddRange(Packages(path, value)); break;
                case "source-date-epoch":
                    epoch = long.TryParse(Scalar(path, value, key), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= MaxSourceDateEpoch
                        ? parsed : throw Error(path, value, $"'source-date-epoch' must be a number of seconds from 0 to {MaxSourceDateEpoch}");
                    break;
                case "folders": folders.AddRange(Items(path, value, key).Select(item => Folder(path, directory, item, folders))); break;
                case "env": environment.AddRange(Variables(path, value)); break;
                default: throw Error(path, keyNode, $"unknown key '{Shown(key)}' (allowed: {Allowed})");
            }
        }
        return new ImageRecipe(path,
            name ?? throw Error(path, mapping, "'name' is required"),
            suite ?? throw Error(path, mapping, "'suite' is required (a Debian suite such as bookworm)"),
            mirror, variant, packages,
            epoch ?? throw Error(path, mapping, "'source-date-epoch' is required: it is what makes two runs identical"),
            folders, environment, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static byte[] ReadRecipe(string path)
    {
        try
        {
            if (FileKinds.Of(path, followLinks: true) is var kind and not FileKind.RegularFile) throw new ImageRecipeException($"{path}: a recipe must be a regular file (this is {FileKinds.Describe(kind)})");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxRecipeBytes) throw new ImageRecipeException($"{path}: a recipe is at most {MaxRecipeBytes} bytes");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ImageRecipeException($"{path}: cannot read the recipe: {e.Message}", e);
        }
    }

    /// <summary>The pairs of a mapping whose keys are plain strings (YamlDotNet refuses a key given twice).</summary>
    private static IEnumerable<(YamlNode Key, YamlNode Value)> Keys(string path, YamlMappingNode mapping)
    {
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: not null }) throw Error(path, key, "a key must be a plain string");
            yield return (key, value);
        }
    }

    private static IEnumerable<string> Packages(string path, YamlNode node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(path, node, "packages"))
        {
            var package = Matching(path, item, "packages", PackagePattern(),
                "a Debian package name (Policy 5.6.1: lowercase letters, digits, '+', '-', '.'; at least two characters, starting with a letter or digit), optionally '=VERSION'");
            if (!names.Add(package.Split('=')[0])) throw Error(path, item, $"'packages': '{package}' is listed twice");
            yield return package;
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Variables(string path, YamlNode node)
    {
        var mapping = node as YamlMappingNode ?? throw Error(path, node, "'env' must be a mapping NAME: value");
        foreach (var (key, value) in Keys(path, mapping))
        {
            var name = Matching(path, key, "env", EnvironmentNamePattern(), "a variable name: letters, digits and '_', not starting with a digit");
            var text = value is YamlScalarNode { Value: { } scalar } ? scalar : throw Error(path, value, $"'env': '{name}' must be a string");
            if (text.Length > 4096 || text.Any(char.IsControl)) throw Error(path, value, $"'env': the value of '{name}' must be at most 4096 characters without control characters");
            yield return KeyValuePair.Create(name, text);
        }
    }

    private static ImageFolder Folder(string path, string directory, YamlNode node, IReadOnlyList<ImageFolder> earlier)
    {
        var mapping = node as YamlMappingNode ?? throw Error(path, node, "a folder is a mapping with 'from', 'to' and optional 'exclude'");
        string? from = null, to = null, origin = null;
        var exclude = new List<string>();
        foreach (var (keyNode, value) in Keys(path, mapping))
        {
            switch (((YamlScalarNode)keyNode).Value)
            {
                case "from":
                    origin = $"{path}:{value.Start.Line}:{value.Start.Column}";
                    from = Matching(path, value, "from", RelativePathPattern(), "a path relative to the recipe's folder ('/'-separated names of letters, digits, '.', '_', '+', '@', '-'; no '.' or '..')");
                    if (ContainedPath.Problem(directory, from) is { } problem)
                        throw Error(path, value, $"'from': '{from}' {problem}; a recipe may only copy folders inside its own folder {directory}");
                    if (!Directory.Exists(Path.Combine(directory, from)))
                        throw Error(path, value, $"'from': '{from}' is not a folder inside the recipe's folder {directory}");
                    break;
                case "to":
                    to = Matching(path, value, "to", AbsolutePathPattern(), "an absolute path inside the image ('/'-separated names; no '.' or '..')");
                    var top = to.Split('/')[1];
                    if (BuilderMounts.Contains(top, StringComparer.Ordinal))
                        throw Error(path, value, $"'to': '{to}' is under /{top}, which the builder mounts itself (its content would be copied into the build's volume)");
                    if (earlier.FirstOrDefault(folder => Nested(folder.To, to)) is { } overlap)
                        throw Error(path, value, $"'to': '{to}' overlaps '{overlap.To}' ({overlap.Origin})");
                    break;
                case "exclude":
                    exclude.AddRange(Items(path, value, "exclude").Select(item =>
                        Matching(path, item, "exclude", RelativePathPattern(), "a path relative to 'from' (no '.' or '..')")));
                    break;
                default: throw Error(path, keyNode, $"unknown key '{Shown(((YamlScalarNode)keyNode).Value!)}' (allowed: from, to, exclude)");
            }
        }
        if (from is null || to is null) throw Error(path, node, "a folder needs 'from' and 'to'");
        return new ImageFolder(directory, from, to, exclude, origin!);
    }

    private static bool Nested(string a, string b) =>
        a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);

    private static IEnumerable<YamlNode> Items(string path, YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(path, node, $"'{what}' must be a list");

    private static string Scalar(string path, YamlNode node, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(path, node, $"'{what}' must be a non-empty string");

    private static string Matching(string path, YamlNode node, string what, Regex pattern, string grammar)
    {
        var value = Scalar(path, node, what);
        return pattern.IsMatch(value) ? value : throw Error(path, node, $"'{what}': '{Shown(value)}' is not {grammar}");
    }

    /// <summary>A value as it may be echoed to a terminal: control characters escaped, long values cut.</summary>
    private static string Shown(string value)
    {
        var text = new StringBuilder();
        foreach (var c in value.Length > 120 ? value[..120] : value)
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return value.Length > 120 ? text.Append('…').ToString() : text.ToString();
    }

    private static ImageRecipeException Error(string path, YamlNode node, string problem) =>
        new($"{path}:{node.Start.Line}:{node.Start.Column}: {problem}");

    // A Docker repository name without a registry host (distribution/reference's path components).
    [GeneratedRegex(@"^(?=.{1,128}\z)[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex ImageNamePattern();

    [GeneratedRegex(@"^(?=.{1,64}\z)[a-z][a-z0-9]*(?:-[a-z0-9]+)*\z")]
    private static partial Regex SuitePattern();

    // Scheme allow-list; a host name or IPv4 address (and port) for http(s), none for file; then path characters only:
    // nothing a shell, apt's sources.list ('[options]', spaces) or mmdebstrap (a leading '-') could read as syntax.
    [GeneratedRegex(@"^(?=.{1,2048}\z)(?:https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?|file://(?=/))(?:/[A-Za-z0-9._~%+-]*)*\z")]
    private static partial Regex MirrorPattern();

    // Debian Policy 5.6.1 (package names) and 5.6.12 (versions: [epoch:]upstream[-revision], upstream starting with a digit).
    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]{1,99}(?:=(?:[0-9]{1,9}:)?[0-9][A-Za-z0-9.+~]{0,63}(?:-[A-Za-z0-9.+~]{1,32})*)?\z")]
    private static partial Regex PackagePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,63}\z")]
    private static partial Regex EnvironmentNamePattern();

    [GeneratedRegex(@"^(?=.{1,1024}\z)(?!\.\.?(?:/|\z))[A-Za-z0-9._+@][A-Za-z0-9._+@-]*(?:/(?!\.\.?(?:/|\z))[A-Za-z0-9._+@][A-Za-z0-9._+@-]*)*\z")]
    private static partial Regex RelativePathPattern();

    [GeneratedRegex(@"^(?=.{2,1024}\z)(?:/(?!\.\.?(?:/|\z))[A-Za-z0-9._+@][A-Za-z0-9._+@-]*)+\z")]
    private static partial Regex AbsolutePathPattern();
}
