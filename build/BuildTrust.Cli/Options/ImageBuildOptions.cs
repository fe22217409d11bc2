namespace BuildTrust.Cli.Options;

/// <summary>What <c>image build</c> was asked: the recipe, where the archive goes, and the engines to load it into.</summary>
public sealed record ImageBuildOptions(string Recipe, string? Output, IReadOnlyList<Uri> Endpoints, string? Tls, bool NoLoad);
