using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Yaml;

/// <summary>
/// The one way BuildTrust reads a YAML file (policies, image recipes): strict UTF-8, exactly one document, no aliases,
/// nesting capped before YamlDotNet's recursive loader sees it, and every error naming the file, line and column.
/// </summary>
public static class StrictYaml
{
    /// <summary>Deepest nesting read; a policy or a recipe needs five or six levels, hostile nesting would overflow the stack.</summary>
    public const int MaximumNesting = 32;

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8, refusing invalid sequences (never replacing them).</summary>
    public static string Decode(byte[] bytes, string source, YamlError error)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw error(source, 0, 0, "not valid UTF-8");
        }
    }

    /// <summary>Reads exactly one YAML document without aliases; throws what <paramref name="error"/> makes.</summary>
    public static YamlNode ReadSingleDocument(string text, string source, YamlError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var parser = new Parser(new StringReader(text));
            var documents = 0;
            var depth = 0;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        throw error(source, alias.Start.Line, alias.Start.Column, "YAML aliases are not allowed");
                    case DocumentStart:
                        if (++documents > 1) throw error(source, parser.Current.Start.Line, parser.Current.Start.Column, "the file holds more than one YAML document");
                        break;
                    case SequenceStart or MappingStart when ++depth > MaximumNesting:
                        throw error(source, parser.Current.Start.Line, parser.Current.Start.Column, $"YAML nested more than {MaximumNesting} levels deep");
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                }
            }
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0) throw error(source, 0, 0, "the file is empty");
            return stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            var problem = e.InnerException?.Message ?? e.Message;
            if (problem.StartsWith('(')) problem = problem[(problem.IndexOf(')', StringComparison.Ordinal) + 1)..].TrimStart(' ', ':');
            throw error(source, e.Start.Line, e.Start.Column, $"malformed YAML: {problem}");
        }
        catch (Exception e) when (e is not BuildTrustException && Checks.ParserFailure.IsMalformedInput(e))
        {
            // YamlDotNet occasionally fails on hostile input with a non-YAML exception (found by fuzzing).
            throw error(source, 0, 0, $"malformed YAML: {e.Message}");
        }
    }
}
