namespace BuildTrust.Cli;

/// <summary>Where a command writes: the machine report to <see cref="Out"/>, everything for people to <see cref="Error"/>.</summary>
public sealed record CliTerminal(TextWriter Out, TextWriter Error);
