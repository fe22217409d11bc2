using System.Text;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>
/// The Markdown job summary GitHub Actions shows on the run's page, appended to the file <c>$GITHUB_STEP_SUMMARY</c> names:
/// the verdict, the counts, the policy and its authority, the refused commits with the check that failed, and the exact
/// commands for those only pending review. At most <see cref="MaximumRows"/> commits are listed (the summary is capped by GitHub).
/// </summary>
internal sealed class GitHubStepSummary(string path) : IGateReportSink
{
    public const int MaximumRows = 100;

    private readonly List<CommitVerdict> _violations = [];
    private readonly List<CommitVerdict> _pending = [];
    private int _unlisted;

    public Task AddAsync(CommitVerdict verdict)
    {
        if (verdict.Status == CheckStatus.Passed) return Task.CompletedTask;
        var list = verdict.PendingReview ? _pending : _violations;
        if (_violations.Count + _pending.Count < MaximumRows) list.Add(verdict);
        else _unlisted++;
        return Task.CompletedTask;
    }

    public async Task CompleteAsync(GateRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var scope = result.Scope;
        var summary = result.Summary;
        var text = new StringBuilder();
        text.AppendLine(result.ExitCode == ExitCodes.Passed ? "## ✅ BuildTrust source gate passed" : "## ❌ BuildTrust source gate failed");
        text.AppendLine();
        text.AppendLine($"`{Code(scope.Range)}` ({Short(scope.ExcludeCommit)}..{Short(scope.IncludeCommit)}): **{result.Verdict}**");
        text.AppendLine();
        text.AppendLine("| passed | failed | of which pending review | malformed |");
        text.AppendLine("|---:|---:|---:|---:|");
        text.AppendLine($"| {summary.Passed} | {summary.Failed} | {summary.PendingReview} | {summary.Malformed} |");
        text.AppendLine();
        text.AppendLine($"Policy `{Code(scope.PolicySource)}` (sha256 `{scope.PolicySha256[..16]}…`): {Cell(scope.AuthorityOrigin ?? "trusted as given")}.");
        if (!result.Authenticated) text.AppendLine().AppendLine("> **The policy is NOT authenticated**: this run cannot pass. Give the gate a trust root from a trusted base (`--trusted-ref`).");
        if (_violations.Count > 0)
        {
            text.AppendLine().AppendLine("### Commits that violate the policy").AppendLine();
            text.AppendLine("| commit | summary | check | found | expected |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var verdict in _violations)
            {
                var failure = verdict.FirstFailure!;
                text.AppendLine($"| `{verdict.CommitId[..12]}` | {Cell(verdict.Summary)} | `{failure.Id}` | {Cell(failure.Actual)} | {Cell(failure.Expected)} |");
            }
        }
        if (_pending.Count > 0)
        {
            text.AppendLine().AppendLine("### Pending review").AppendLine();
            text.AppendLine("These commits satisfy the policy except for their reviews. A reviewer approves each and pushes the approvals:").AppendLine();
            text.AppendLine("```sh");
            foreach (var verdict in _pending) text.AppendLine($"{PendingReviewFix.Approve(verdict)}   # {verdict.Summary.Replace("`", "'", StringComparison.Ordinal)}");
            text.AppendLine(PendingReviewFix.Push);
            text.AppendLine("```");
        }
        if (_unlisted > 0) text.AppendLine().AppendLine($"… and {_unlisted} more refused commit(s): see the job log or the JSON report.");
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await using var writer = new StreamWriter(file, new UTF8Encoding(false));
        await writer.WriteAsync(text.ToString());
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Short(string? id) => id is null ? "root" : id[..12];

    /// <summary>Text for a table cell: no line breaks, pipes escaped, Markdown and HTML that could restyle the page neutralised.</summary>
    private static string Cell(string text)
    {
        var cell = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\r' or '\n') cell.Append(' ');
            else if (c is '|' or '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '!' or '~') cell.Append('\\').Append(c);
            else cell.Append(c);
        }
        return cell.ToString();
    }

    private static string Code(string text) => text.Replace("`", "'", StringComparison.Ordinal);
}
