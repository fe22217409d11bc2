namespace BuildTrust.Cli;

/// <summary>Where a command writes: the machine report to <see cref="Out"/>, everything for people to <see cref="Error"/>.</summary>
/// <param name="Interactive">stderr is a terminal: live progress may be drawn there.</param>
public sealed record CliTerminal(TextWriter Out, TextWriter Error, bool Interactive);
