namespace BuildTrust.Pipeline.Containers;

/// <summary>An image as the engine reports it: its id (the config digest) and the registry digests it is known by.</summary>
public sealed record ImageDescription(string Id, IReadOnlyList<string> RepoDigests, IReadOnlyList<string> RepoTags);
