using System.Text.Json;
using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Testing.Tools;

/// <summary>
/// The CI ecosystems' own tools, from npm (installed by <c>./build.sh test</c> into tests/tools/ci-validate): Microsoft's SARIF
/// multitool, GitHub's Actions toolkit (@actions/core, which writes workflow commands), and junit-report-merger (JUnit XML).
/// </summary>
public static class CiTools
{
    public static string Directory { get; } = Path.Combine(Containers.TestImages.RepositoryRoot, "tests", "tools", "ci-validate");

    private static string Multitool => Path.Combine(Directory, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");

    public static string? SkipReason =>
        File.Exists(Multitool) && File.Exists(Path.Combine(Directory, "node_modules", "@actions", "core", "package.json")) && File.Exists(Path.Combine(Directory, "node_modules", "junit-report-merger", "package.json"))
            ? null : "SKIPPED: the CI validators are not installed (./build.sh test runs npm ci in tests/tools/ci-validate)";

    /// <summary>Validates a SARIF log with <c>Sarif.Multitool validate</c>; returns every error and warning it reports (rule id and message).</summary>
    public static IReadOnlyList<string> ValidateSarif(string sarif)
    {
        Require();
        var output = sarif + ".validation.sarif";
        var run = ExternalProcess.Run(Multitool, ["validate", sarif, "--output", output, "--log", "ForceOverwrite"], Directory, timeout: TimeSpan.FromMinutes(2));
        if (!File.Exists(output)) throw new InvalidOperationException($"the SARIF multitool wrote no result (exit {run.ExitCode}): {run.StandardOutput}{run.StandardError}");
        using var document = JsonDocument.Parse(File.ReadAllBytes(output));
        var problems = new List<string>();
        foreach (var result in document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
        {
            var level = result.TryGetProperty("level", out var l) ? l.GetString() : "warning";
            if (level is "error" or "warning") problems.Add($"{level} {result.GetProperty("ruleId").GetString()}: {run.StandardOutput}");
        }
        if (run.ExitCode != 0 && problems.Count == 0) problems.Add($"multitool exit {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        return problems;
    }

    /// <summary>The workflow command GitHub's toolkit (<c>core.error(message, {{ title }})</c> and its siblings) writes for an annotation.</summary>
    public static string Annotation(string kind, string title, string message)
    {
        Require();
        var run = ExternalProcess.Run("node", [Path.Combine(Directory, "annotate.js"), kind, title, message], Directory).ThrowOnFailure();
        return run.StandardOutput.TrimEnd('\n');
    }

    /// <summary>Reads a JUnit report with junit-report-merger and returns the merged document (xmlbuilder2's object form).</summary>
    public static JsonDocument ReadJUnit(string report)
    {
        Require();
        var run = ExternalProcess.Run("node", [Path.Combine(Directory, "junit.js"), report], Directory).ThrowOnFailure();
        return JsonDocument.Parse(run.StandardOutput);
    }

    private static void Require()
    {
        if (SkipReason is { } missing) throw new InvalidOperationException($"{missing}: an outside check cannot be skipped inside a test that asserts on it");
    }
}
