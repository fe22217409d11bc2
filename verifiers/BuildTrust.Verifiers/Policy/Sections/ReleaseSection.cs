using BuildTrust.Verifiers.Quorum;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary><c>release</c>: the quorum, what builders must differ in, and the release key (its token URI and its public half).</summary>
internal static class ReleaseSection
{
    public static ReleaseRules Read(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        int? quorum = null;
        string? signingKey = null;
        byte[]? publicKey = null;
        var hardware = true;
        var independence = new HashSet<string>(StringComparer.Ordinal) { IndependenceAspect.Engine };
        foreach (var (keyNode, value) in f.Mapping(node, "release").Children)
        {
            switch (f.Key(keyNode))
            {
                case "independence":
                    foreach (var item in f.Sequence(value, "independence").Children)
                    {
                        var aspect = f.String(item, "an independence aspect");
                        if (!IndependenceAspect.All.Contains(aspect))
                            throw f.Error(item, $"unknown independence aspect '{aspect}' (builders can be required to differ by {string.Join(", ", IndependenceAspect.All)})");
                        independence.Add(aspect);
                    }
                    break;
                case "quorum":
                    quorum = f.Integer(value, "quorum");
                    if (quorum < 1) throw f.Error(value, "'quorum' must be at least 1");
                    break;
                case "signing-key":
                    signingKey = f.String(value, "signing-key");
                    break;
                case "public-key":
                    publicKey = EcdsaPublicKeyField.Read(reading, value, "public-key", "the release key");
                    break;
                case "signing-key-hardware":
                    hardware = f.String(value, "signing-key-hardware") switch
                    {
                        "required" => true,
                        "optional" => false,
                        var other => throw f.Error(value, $"'signing-key-hardware' is 'required' or 'optional', not '{other}'"),
                    };
                    break;
                default:
                    throw f.Unknown(keyNode, f.Key(keyNode), "quorum, signing-key, public-key, signing-key-hardware, independence");
            }
        }
        if (quorum is null || signingKey is null || publicKey is null)
            throw f.Error(node, "'release' needs 'quorum', 'signing-key' and 'public-key' (the release key's public half, which auditors check signatures against)");
        if (hardware && !signingKey.StartsWith("pkcs11:", StringComparison.Ordinal))
            throw f.Error(node, "with 'signing-key-hardware: required' the signing key must be a pkcs11: URI (a key file is refused)");
        return new ReleaseRules(quorum.Value, signingKey, publicKey, hardware) { Independence = independence };
    }
}
