using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// policy: a policy file through <see cref="PolicyLoader.Parse"/>, with the files it names (OpenPGP keys,
/// attestations, trust roots, builder keys) read from the context's policy folder by the real
/// <see cref="DirectoryPolicyFiles"/>. Expected: <see cref="PolicyException"/>.
/// </summary>
internal sealed class PolicyTarget(FuzzContext context) : IFuzzTarget
{
    private readonly DirectoryPolicyFiles _files = new(context.PolicyDirectory);

    public string Name => "policy";

    public string Description => "policy YAML: strict loader with the files it names (keys, attestations, roots)";

    public string Run(byte[] input)
    {
        try
        {
            var policy = PolicyLoader.Parse(input, "fuzz.yaml", _files);
            return $"accepted: {policy.Maintainers.Count} maintainers, {policy.Builders.Count} builders";
        }
        catch (PolicyException e)
        {
            return $"refused: {e.Message}";
        }
    }
}
