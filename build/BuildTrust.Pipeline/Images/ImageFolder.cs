namespace BuildTrust.Pipeline.Images;

/// <summary>A host folder copied into the image at <paramref name="To"/>; <paramref name="Exclude"/> lists relative paths left out.</summary>
public sealed record ImageFolder(string From, string To, IReadOnlyList<string> Exclude);
