namespace BuildTrust.Explain.Bisection;

/// <summary>A bisection could not run: an engine unreachable or a build that failed (<see cref="Infrastructure"/> says which kind).</summary>
public sealed class BisectionException(string message, bool infrastructure) : Exception(message)
{
    public bool Infrastructure { get; } = infrastructure;
}
