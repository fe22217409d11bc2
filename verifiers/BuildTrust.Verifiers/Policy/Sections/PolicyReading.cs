using BuildTrust.Verifiers.Policy.Yaml;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary>What every section reader of one policy file shares: its typed YAML fields, the files it may name, and when it is evaluated.</summary>
internal sealed class PolicyReading(string source, IPolicyFiles? files, DateTimeOffset evaluatedAt)
{
    public YamlFields Fields { get; } = YamlFields.ForPolicy(source);

    public string Source => source;

    /// <summary>When hardware evidence is judged: the time of the commit or release the policy decides about, never "now" by accident.</summary>
    public DateTimeOffset EvaluatedAt => evaluatedAt;

    public string Describe(string relativePath) => files!.Describe(relativePath);

    /// <summary>The bytes of the file the string at <paramref name="node"/> names, relative to the policy's directory.</summary>
    public byte[] ReadFile(YamlNode node, string what)
    {
        var path = Fields.String(node, what);
        if (files is null) throw Fields.Error(node, "this policy cannot refer to files here");
        try
        {
            return files.Read(path);
        }
        catch (PolicyFileException e)
        {
            throw Fields.Error(node, e.Message);
        }
    }
}
