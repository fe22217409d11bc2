namespace BuildTrust.Pipeline.Adoption;

/// <summary>A key that signed recent commits and is not in the scaffolded policy (reported, never added on its own).</summary>
public sealed record UnlistedSigner(string Kind, string Key, int Commits, string Why);
