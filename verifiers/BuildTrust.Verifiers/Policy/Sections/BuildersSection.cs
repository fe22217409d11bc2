using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary><c>builders</c>: each independent builder's engine endpoint (none for a federated builder), provenance key, operator and variations.</summary>
internal static class BuildersSection
{
    public static List<BuilderDefinition> Read(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        var list = f.Sequence(node, "builders");
        if (list.Children.Count == 0) throw f.Error(node, "'builders' is empty");
        var builders = new List<BuilderDefinition>();
        foreach (var item in list.Children)
        {
            string? id = null, tls = null, operatorName = null;
            Uri? endpoint = null;
            byte[]? key = null;
            var variations = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in f.Mapping(item, "a builder").Children)
            {
                switch (f.Key(keyNode))
                {
                    case "id":
                        id = f.Matching(value, "id", MaintainersSection.IdPattern(), $"a builder id matching {MaintainersSection.IdPattern()}");
                        break;
                    case "endpoint":
                        var text = f.String(value, "endpoint");
                        if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("unix" or "tcp"))
                            throw f.Error(value, $"'{text}' is not a Docker endpoint (unix:///path/docker.sock or tcp://host:port)");
                        break;
                    case "key":
                        key = EcdsaPublicKeyField.Read(reading, value, "key", "a builder key");
                        break;
                    case "tls":
                        try
                        {
                            tls = PolicyFilePaths.Validate(f.String(value, "tls"));
                        }
                        catch (PolicyFileException e)
                        {
                            throw f.Error(value, e.Message);
                        }
                        break;
                    case "operator":
                        operatorName = f.Matching(value, "operator", MaintainersSection.IdPattern(), $"an operator matching {MaintainersSection.IdPattern()}");
                        break;
                    case "variations":
                        foreach (var variation in f.Sequence(value, "variations").Children)
                        {
                            var name = f.String(variation, "a variation");
                            if (!BuilderDefinition.KnownVariations.Contains(name))
                                throw f.Error(variation, $"unknown variation '{name}' (known: {string.Join(", ", BuilderDefinition.KnownVariations.Order(StringComparer.Ordinal))})");
                            if (!variations.Add(name)) throw f.Error(variation, $"variation '{name}' listed twice");
                        }
                        break;
                    default:
                        throw f.Unknown(keyNode, f.Key(keyNode), "id, endpoint, key, tls, operator, variations");
                }
            }
            if (id is null || key is null) throw f.Error(item, "a builder needs 'id' and 'key' (and 'endpoint', unless another party runs it: a federated builder)");
            if (endpoint is null && tls is not null) throw f.Error(item, $"builder '{id}' has 'tls' but no 'endpoint'");
            if (endpoint?.Scheme == "tcp" && tls is null) throw f.Error(item, $"builder '{id}' uses a TCP endpoint without 'tls' (a certificate folder): a remote engine is reached over TLS only");
            if (builders.Any(b => b.Id == id)) throw f.Error(item, $"builder '{id}' is listed twice");
            if (builders.FirstOrDefault(b => b.PublicKeyDer.AsSpan().SequenceEqual(key)) is { } twin)
                throw f.Error(item, $"builders '{twin.Id}' and '{id}' share a key; independent builders sign with their own keys");
            builders.Add(new BuilderDefinition(id, endpoint, key, tls, variations) { Operator = operatorName });
        }
        return builders;
    }
}
