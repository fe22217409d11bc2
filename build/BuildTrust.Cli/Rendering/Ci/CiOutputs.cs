namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>
/// The CI renderings a <c>verify-commits</c> run writes: JUnit and SARIF files named on the command line, and GitHub Actions
/// annotations and job summary when the runner's environment asks for them (<c>GITHUB_ACTIONS=true</c>, <c>GITHUB_STEP_SUMMARY</c>).
/// </summary>
public sealed record CiOutputs(string? JUnit = null, string? Sarif = null, bool GitHubAnnotations = false, string? GitHubStepSummary = null)
{
    public static CiOutputs None { get; } = new();

    /// <summary>The GitHub Actions part from the runner's environment variables.</summary>
    public static CiOutputs FromEnvironment(string? junit, string? sarif, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new CiOutputs(junit, sarif, environment("GITHUB_ACTIONS") == "true",
            environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary ? summary : null);
    }
}
