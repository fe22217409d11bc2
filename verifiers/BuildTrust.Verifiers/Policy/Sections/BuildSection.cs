using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary><c>build</c>: the digest-pinned image, the command, the outputs under /out, the environment and the limits.</summary>
internal static class BuildSection
{
    public static BuildRecipe Read(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        ImageReference? image = null;
        List<string>? command = null, outputs = null;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var limits = BuildLimits.Default;
        foreach (var (keyNode, value) in f.Mapping(node, "build").Children)
        {
            switch (f.Key(keyNode))
            {
                case "image":
                    try
                    {
                        image = ImageReference.Parse(f.String(value, "image"));
                    }
                    catch (FormatException e)
                    {
                        throw f.Error(value, e.Message);
                    }
                    break;
                case "command":
                    command = f.Sequence(value, "command").Children.Select(c => f.String(c, "a command argument")).ToList();
                    if (command.Count == 0) throw f.Error(value, "'command' is empty");
                    break;
                case "outputs":
                    outputs = [];
                    foreach (var output in f.Sequence(value, "outputs").Children)
                    {
                        var glob = f.String(output, "an output");
                        if (!glob.StartsWith("/out/", StringComparison.Ordinal) || glob.Split('/').Contains(".."))
                            throw f.Error(output, $"'{glob}' must be a glob under /out/ (no '..')");
                        outputs.Add(glob);
                    }
                    if (outputs.Count == 0) throw f.Error(value, "'outputs' is empty: nothing would be collected");
                    break;
                case "env":
                    foreach (var (name, text) in f.Environment(value, "env")) environment[name] = text;
                    break;
                case "limits":
                    limits = BuildLimitsSection.Read(reading, value);
                    break;
                default:
                    throw f.Unknown(keyNode, f.Key(keyNode), "image, command, outputs, env, limits");
            }
        }
        if (image is null || command is null || outputs is null) throw f.Error(node, "'build' needs 'image', 'command' and 'outputs'");
        return new BuildRecipe(image, command, outputs, environment) { Limits = limits };
    }
}
