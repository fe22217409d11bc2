namespace BuildTrust.Cli.Options;

/// <summary>What <c>demo</c> was asked.</summary>
public sealed record DemoOptions(string? Output, IReadOnlyList<string> Engines, bool SourceGateOnly);
