using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>
/// GitHub Actions workflow commands (<c>::error title=...::message</c>), one per refused commit and one for the verdict,
/// escaped exactly as GitHub's toolkit (@actions/core) escapes them, so that a commit message can never start a command of its
/// own. Written to standard error with the human report: standard output may carry the JSON report.
/// </summary>
internal sealed class GitHubAnnotations(TextWriter error) : IGateReportSink
{
    /// <summary>GitHub shows at most 10 error annotations per step and 50 per job; the rest are summarised in one.</summary>
    public const int MaximumAnnotations = 50;

    private int _written;
    private int _suppressed;

    public async Task AddAsync(CommitVerdict verdict)
    {
        if (verdict.Status == CheckStatus.Passed) return;
        if (_written >= MaximumAnnotations)
        {
            _suppressed++;
            return;
        }
        _written++;
        var failure = verdict.FirstFailure!;
        var line = verdict.PendingReview
            ? Command("warning", $"Pending review: {verdict.CommitId[..12]}", $"{verdict.CommitId} \"{verdict.Summary}\": {PendingReviewFix.Sentence(verdict)}")
            : Command("error", $"BuildTrust {failure.Id}: {verdict.CommitId[..12]}",
                $"{verdict.CommitId} \"{verdict.Summary}\" {(verdict.Status == CheckStatus.Malformed ? "is malformed" : "violates the policy")}: " +
                $"{failure.Actual} (expected {failure.Expected})");
        await error.WriteLineAsync(line);
    }

    public async Task CompleteAsync(GateRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_suppressed > 0) await error.WriteLineAsync(Command("error", "BuildTrust", $"{_suppressed} more refused commit(s) are not annotated; see the job log or the JSON report"));
        var summary = result.Summary;
        var counts = $"{summary.Passed} passed, {summary.Failed} failed ({summary.PendingReview} pending review), {summary.Malformed} malformed";
        await error.WriteLineAsync(result.ExitCode == ExitCodes.Passed
            ? Command("notice", "BuildTrust source gate passed", $"{result.Scope.Range}: {counts}")
            : Command("error", "BuildTrust source gate failed", $"{result.Scope.Range}: {counts}: {result.Verdict}"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A workflow command as @actions/core's <c>issueCommand</c> writes it.</summary>
    public static string Command(string command, string title, string message) =>
        $"::{command} title={EscapeProperty(title)}::{EscapeData(message)}";

    public static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string value) =>
        EscapeData(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
