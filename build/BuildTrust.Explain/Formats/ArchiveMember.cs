namespace BuildTrust.Explain.Formats;

/// <summary>A member of tar, ar or zip as the comparers see it; <see cref="Content"/> is null for non-files or when capped.</summary>
internal sealed record ArchiveMember(string Name, string Type, long Mtime, string Owner, int? Mode, string? LinkName, long Length, byte[]? Content, string? Extra = null);
