using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering;

/// <summary>The source gate report for people: one line per commit, then the failures with their reasons.</summary>
public static class SourceGateText
{
    public static async Task WriteAsync(TextWriter output, SourceGateReport report)
    {
        await output.WriteLineAsync($"Source gate: {report.Commits.Count} commit(s) in {report.Range} ({Short(report.ExcludeCommit)}..{Short(report.IncludeCommit)})");
        await output.WriteLineAsync($"Policy: {report.PolicySource} (sha256 {report.PolicySha256})");
        foreach (var commit in report.Commits)
        {
            var signer = commit.Signer ?? "-";
            var key = commit.KeyType is null ? "-" : $"{commit.KeyType} {commit.KeyFingerprint}";
            var detail = commit.Status == CheckStatus.Passed ? commit.HardwareEvidence : commit.FirstFailure?.Actual;
            await output.WriteLineAsync($"  {Label(commit.Status)} {commit.CommitId} {signer,-12} {key}  {detail}");
        }
        var failing = report.Commits.Where(c => c.Status != CheckStatus.Passed).ToList();
        if (failing.Count > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Refused commits:");
            foreach (var commit in failing)
            {
                var failure = commit.FirstFailure!;
                await output.WriteLineAsync($"  {commit.CommitId} \"{commit.Summary}\"");
                await output.WriteLineAsync($"    [{failure.Id}] {failure.Actual} (expected {failure.Expected})");
            }
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{report.Passed} passed, {report.Failed} failed, {report.Malformed} malformed: {Verdict(report.Status)}");
    }

    public static string Verdict(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "SOURCE GATE PASSED",
        CheckStatus.Failed => "SOURCE GATE FAILED",
        _ => "SOURCE GATE FAILED (malformed input)",
    };

    private static string Label(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "ok  ",
        CheckStatus.Failed => "FAIL",
        _ => "BAD ",
    };

    private static string Short(string? id) => id is null ? "root" : id[..12];
}
