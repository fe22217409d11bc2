using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy.Yaml;
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

    private static Exception RecipeError(string source, long line, long column, string problem) =>
        new ImageRecipeException(line > 0 ? $"{source}:{line}:{column}: {problem}" : $"{source}: {problem}");

    public static ImageRecipe Load(string path)
    {
        var bytes = ReadRecipe(path);
        var root = StrictYaml.ReadSingleDocument(StrictYaml.Decode(bytes, path, RecipeError), path, RecipeError);
        var f = new YamlFields(path, RecipeError);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var mapping = f.Mapping(root, "a recipe");
        string? name = null, suite = null, mirror = "http://deb.debian.org/debian", variant = "essential";
        long? epoch = null;
        var packages = new List<string>();
        var folders = new List<ImageFolder>();
        var environment = new List<KeyValuePair<string, string>>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = f.Key(keyNode);
            switch (key)
            {
                case "name": name = f.Matching(value, key, ImageNamePattern(), "a Docker repository name: lowercase components joined by '.', '_', '__' or '-', separated by '/'"); break;
                case "suite": suite = f.Matching(value, key, SuitePattern(), "a Debian suite or codename such as bookworm or bookworm-backports"); break;
                case "mirror": mirror = f.Matching(value, key, MirrorPattern(), "an http://, https:// or file:/// URL without credentials, spaces, quotes or shell characters"); break;
                case "variant":
                    variant = f.String(value, key);
                    if (!Variants.Contains(variant, StringComparer.Ordinal)) throw f.Error(value, $"'variant': '{YamlFields.Shown(variant)}' is not one of mmdebstrap's variants ({string.Join(", ", Variants)})");
                    break;
                case "packages": packages.AddRange(Packages(f, value)); break;
                case "source-date-epoch":
                    epoch = long.TryParse(f.String(value, key), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed <= MaxSourceDateEpoch
                        ? parsed : throw f.Error(value, $"'source-date-epoch' must be a number of seconds from 0 to {MaxSourceDateEpoch}");
                    break;
                case "folders": folders.AddRange(f.Sequence(value, key).Select(item => Folder(f, directory, item, folders))); break;
                case "env": environment.AddRange(f.Environment(value, "env")); break;
                default: throw f.Error(keyNode, $"unknown key '{YamlFields.Shown(key)}' (allowed: {Allowed})");
            }
        }
        return new ImageRecipe(path,
            name ?? throw f.Error(mapping, "'name' is required"),
            suite ?? throw f.Error(mapping, "'suite' is required (a Debian suite such as bookworm)"),
            mirror, variant, packages,
            epoch ?? throw f.Error(mapping, "'source-date-epoch' is required: it is what makes two runs identical"),
            folders, environment, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>A recipe is code run as root: a regular file reached through no symbolic link, read with a cap.</summary>
    private static byte[] ReadRecipe(string path)
    {
        try
        {
            return UntrustedFile.ReadAll(path, MaxRecipeBytes);
        }
        catch (UntrustedFileException e)
        {
            throw new ImageRecipeException($"a recipe must be a regular file of at most {MaxRecipeBytes} bytes: {e.Message}", e);
        }
    }

    private static IEnumerable<string> Packages(YamlFields f, YamlNode node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in f.Sequence(node, "packages"))
        {
            var package = f.Matching(item, "packages", PackagePattern(),
                "a Debian package name (Policy 5.6.1: lowercase letters, digits, '+', '-', '.'; at least two characters, starting with a letter or digit), optionally '=VERSION'");
            if (!names.Add(package.Split('=')[0])) throw f.Error(item, $"'packages': '{package}' is listed twice");
            yield return package;
        }
    }

    private static ImageFolder Folder(YamlFields f, string directory, YamlNode node, IReadOnlyList<ImageFolder> earlier)
    {
        var mapping = f.Mapping(node, "a folder (with 'from', 'to' and optional 'exclude')");
        string? from = null, to = null, origin = null;
        var exclude = new List<string>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            switch (f.Key(keyNode))
            {
                case "from":
                    origin = $"{f.Source}:{value.Start.Line}:{value.Start.Column}";
                    from = f.Matching(value, "from", RelativePathPattern(), "a path relative to the recipe's folder ('/'-separated names of letters, digits, '.', '_', '+', '@', '-'; no '.' or '..')");
                    if (ContainedPath.Problem(directory, from) is { } problem)
                        throw f.Error(value, $"'from': '{from}' {problem}; a recipe may only copy folders inside its own folder {directory}");
                    if (!Directory.Exists(Path.Combine(directory, from)))
                        throw f.Error(value, $"'from': '{from}' is not a folder inside the recipe's folder {directory}");
                    break;
                case "to":
                    to = f.Matching(value, "to", AbsolutePathPattern(), "an absolute path inside the image ('/'-separated names; no '.' or '..')");
                    var top = to.Split('/')[1];
                    if (BuilderMounts.Contains(top, StringComparer.Ordinal))
                        throw f.Error(value, $"'to': '{to}' is under /{top}, which the builder mounts itself (its content would be copied into the build's volume)");
                    if (earlier.FirstOrDefault(folder => Nested(folder.To, to)) is { } overlap)
                        throw f.Error(value, $"'to': '{to}' overlaps '{overlap.To}' ({overlap.Origin})");
                    break;
                case "exclude":
                    exclude.AddRange(f.Sequence(value, "exclude").Select(item =>
                        f.Matching(item, "exclude", RelativePathPattern(), "a path relative to 'from' (no '.' or '..')")));
                    break;
                default: throw f.Error(keyNode, $"unknown key '{YamlFields.Shown(f.Key(keyNode))}' (allowed: from, to, exclude)");
            }
        }
        if (from is null || to is null) throw f.Error(node, "a folder needs 'from' and 'to'");
        return new ImageFolder(directory, from, to, exclude, origin!);
    }

    private static bool Nested(string a, string b) =>
        a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);

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

    [GeneratedRegex(@"^(?=.{1,1024}\z)(?!\.\.?(?:/|\z))[A-Za-z0-9._+@][A-Za-z0-9._+@-]*(?:/(?!\.\.?(?:/|\z))[A-Za-z0-9._+@][A-Za-z0-9._+@-]*)*\z")]
    private static partial Regex RelativePathPattern();

    [GeneratedRegex(@"^(?=.{2,1024}\z)(?:/(?!\.\.?(?:/|\z))[A-Za-z0-9._+@][A-Za-z0-9._+@-]*)+\z")]
    private static partial Regex AbsolutePathPattern();
}
