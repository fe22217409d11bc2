namespace BuildTrust.Verifiers.Policy;

/// <summary>The <c>build</c> section: the digest-pinned image, the command run in the exported tree, and the outputs collected.</summary>
/// <param name="Outputs">Globs under <c>/out</c>; only what they match is collected.</param>
public sealed record BuildRecipe(ImageReference Image, IReadOnlyList<string> Command, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, string> Environment);
