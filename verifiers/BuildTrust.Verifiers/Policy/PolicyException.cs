namespace BuildTrust.Verifiers.Policy;

/// <summary>A policy file that cannot be used; the message names the file and, where known, line and column.</summary>
public sealed class PolicyException : BuildTrustException
{
    public PolicyException(string file, long line, long column, string problem)
            : base(FaultKind.BadInput, line > 0 ? $"{file}:{line}:{column}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string File { get; }

    /// <summary>1-based line, or 0 when the problem concerns the whole file.</summary>
    public long Line { get; }

    public long Column { get; }

    public string Problem { get; }
}
