using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Builders;

/// <summary>Everything <see cref="ReleaseBuild"/> needs: the policy's recipe and builders, where to build from and to, and each builder's key.</summary>
/// <param name="Signers">One key per builder in <paramref name="Builders"/>; its public key must be the policy's key for that builder.</param>
/// <param name="Connect">Opens a builder's engine (tests and the CLI pass <see cref="DockerContainerEngine.Connect"/> with the policy folder resolved).</param>
public sealed record ReleaseBuildRequest(
    BuildRecipe Recipe,
    IReadOnlyList<BuilderDefinition> Builders,
    string Repository,
    string Revision,
    string OutputDirectory,
    IReadOnlyDictionary<string, IDigestSigner> Signers,
    BuildLimits Limits,
    Func<BuilderDefinition, IContainerEngine> Connect);
