namespace BuildTrust.Pipeline.Builders;

/// <summary>A builder's state for the live display: its phase, and the last line of its build log.</summary>
public sealed record BuildProgress(string BuilderId, BuildPhase Phase, string? LogTail);
