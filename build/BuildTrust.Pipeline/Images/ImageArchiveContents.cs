namespace BuildTrust.Pipeline.Images;

/// <summary>The one image a verified archive holds: its id (SHA-256 of its config), the recipe digest its label names, its layers.</summary>
public sealed record ImageArchiveContents(string Id, string? RecipeDigest, IReadOnlyList<string> DiffIds);
