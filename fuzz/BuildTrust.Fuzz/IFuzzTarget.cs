namespace BuildTrust.Fuzz;

/// <summary>
/// One parser of untrusted input, driven through the entry point a user's input reaches. <see cref="Run"/>
/// catches only the parser's documented "malformed input" exception and returns what happened; any other
/// exception escapes and is a finding (AFL records it as a crash), as are hangs and runaway allocations.
/// </summary>
internal interface IFuzzTarget
{
    string Name { get; }

    string Description { get; }

    /// <summary>Feeds one input; returns a short description of the outcome (accepted, refused and why).</summary>
    string Run(byte[] input);
}
