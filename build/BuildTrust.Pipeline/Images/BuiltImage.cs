namespace BuildTrust.Pipeline.Images;

/// <summary>An image archive written by <see cref="ImageBuilder"/>: its id is the digest a policy pins.</summary>
public sealed record BuiltImage(string Id, string ArchivePath, IReadOnlyList<string> LayerDigests, long ArchiveBytes);
