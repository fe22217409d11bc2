using System.Text.Json;
using BuildTrust.Cli.Rendering.Ci;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Rendering;

/// <summary>
/// Writes a source gate report while the verdicts stream in: one line per commit for people (stderr) and,
/// with --json, the same verdicts as JSON (stdout), and the CI renderings asked for (<see cref="CiOutputs"/>), each fed the
/// same verdicts. Only refused commits are kept, for the closing list.
/// </summary>
public sealed class SourceGateReportWriter(CliTerminal terminal, bool json, CiOutputs? ci = null)
{
    public const string JsonSchema = "https://buildtrust.invalid/schemas/verify-commits/v1";

    /// <summary>Writes the report while the verdicts stream in and returns how the run ended.</summary>
    public async Task<SourceGateOutcome> WriteAsync(SourceGateScope scope, IEnumerable<CommitVerdict> verdicts)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(verdicts);
        var text = terminal.Error;
        var authenticated = scope.Authority != PolicyAuthority.NotAuthenticated;
        await text.WriteLineAsync($"Source gate: {scope.Range} ({Short(scope.ExcludeCommit)}..{Short(scope.IncludeCommit)}) in {scope.Repository}");
        await text.WriteLineAsync(scope.TrustRoot is null
            ? $"Policy: {scope.PolicySource} (sha256 {scope.PolicySha256}), {scope.AuthorityOrigin ?? "trusted as given"}"
            : $"Policy: {scope.PolicySource} (sha256 {scope.PolicySha256}), the trust root's policy; later policies are {scope.AuthorityOrigin ?? "authenticated through history"}");
        if (!authenticated) await text.WriteLineAsync($"WARNING: THE POLICY IS NOT AUTHENTICATED; this run cannot pass. {char.ToUpperInvariant(TrustAnchor.Remedy[0])}{TrustAnchor.Remedy[1..]}.");
        if (scope.ExemptionsIgnored is not null) await text.WriteLineAsync($"WARNING: {scope.ExemptionsIgnored}");
        await using var sinks = new GateReportSinks(Sinks(ci ?? CiOutputs.None));
        if (json)
        {
            await terminal.Out.WriteAsync($"{{\"schema\":{Json(JsonSchema)},\"scope\":{Json(scope)},\"commits\":[");
        }
        var summary = new SourceGateSummary(0, 0, 0);
        var refused = new List<CommitVerdict>();
        var exempted = new List<CommitVerdict>();
        foreach (var verdict in verdicts)
        {
            var status = verdict.Status;
            if (json) await terminal.Out.WriteAsync((summary.Total == 0 ? "\n" : ",\n") + Json(verdict));
            summary = summary.Add(verdict);
            if (status != CheckStatus.Passed) refused.Add(verdict);
            await sinks.AddAsync(verdict);
            if (verdict.Exemption is not null) exempted.Add(verdict);
            await text.WriteLineAsync(Line(verdict, status));
        }
        if (refused.Any(v => !v.PendingReview))
        {
            await text.WriteLineAsync();
            await text.WriteLineAsync("Refused commits (they violate the policy):");
            foreach (var verdict in refused.Where(v => !v.PendingReview))
            {
                var failure = verdict.FirstFailure!;
                await text.WriteLineAsync($"  {verdict.CommitId} \"{verdict.Summary}\"");
                await text.WriteLineAsync($"    [{failure.Id}] {failure.Actual} (expected {failure.Expected})");
            }
        }
        if (refused.Any(v => v.PendingReview))
        {
            await text.WriteLineAsync();
            await text.WriteLineAsync("Pending review (the policy is otherwise satisfied; an approval fixes each):");
            foreach (var verdict in refused.Where(v => v.PendingReview))
            {
                await text.WriteLineAsync($"  {verdict.CommitId} \"{verdict.Summary}\"");
                await text.WriteLineAsync($"    [{verdict.FirstFailure!.Id}] {verdict.FirstFailure.Actual}; {PendingReviewFix.Who(verdict)} runs: {PendingReviewFix.Approve(verdict)}");
            }
            await text.WriteLineAsync($"  then shares the approvals: {PendingReviewFix.Push}");
        }
        if (exempted.Count > 0)
        {
            await text.WriteLineAsync();
            await text.WriteLineAsync($"WARNING: {exempted.Count} commit(s) passed only because the policy exempts them from every check:");
            foreach (var verdict in exempted) await text.WriteLineAsync($"  {verdict.CommitId} \"{verdict.Summary}\": {verdict.Exemption}");
        }
        await text.WriteLineAsync();
        var result = new SourceGateOutcome(summary, scope.Authority);
        var exitCode = ExitCodeOf(result);
        var outcome = !authenticated ? "SOURCE GATE FAILED: the policy is NOT authenticated" : Verdict(summary.Status);
        var pending = summary.PendingReview > 0 ? $" ({summary.PendingReview} pending review)" : "";
        await text.WriteLineAsync($"{summary.Passed} passed, {summary.Failed} failed{pending}, {summary.Malformed} malformed: {outcome}");
        if (json)
        {
            await terminal.Out.WriteLineAsync($"\n],\"summary\":{Json(summary)},\"exitCode\":{exitCode}}}");
        }
        await sinks.CompleteAsync(new GateRunResult(scope, summary, authenticated, exitCode, outcome));
        return result;
    }

    /// <summary>0 only when every commit passed under an authenticated policy; a malformed commit fails the run like a refused one.</summary>
    public static int ExitCodeOf(SourceGateOutcome outcome) => outcome.Passed ? ExitCodes.Passed : ExitCodes.VerificationFailed;

    public static int ExitCodeOf(CheckStatus status) => status switch
    {
        CheckStatus.Passed => ExitCodes.Passed,
        CheckStatus.Failed => ExitCodes.VerificationFailed,
        _ => ExitCodes.BadInput,
    };

    public static string Verdict(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "SOURCE GATE PASSED",
        CheckStatus.Failed => "SOURCE GATE FAILED",
        _ => "SOURCE GATE FAILED (malformed commits or signatures)",
    };

    private IReadOnlyList<IGateReportSink> Sinks(CiOutputs outputs)
    {
        var sinks = new List<IGateReportSink>();
        if (outputs.GitHubAnnotations) sinks.Add(new GitHubAnnotations(terminal.Error));
        if (outputs.GitHubStepSummary is { } summary) sinks.Add(new GitHubStepSummary(summary));
        if (outputs.JUnit is { } junit) sinks.Add(new JUnitReport(junit));
        if (outputs.Sarif is { } sarif) sinks.Add(new SarifReport(sarif));
        return sinks;
    }

    private static string Line(CommitVerdict verdict, CheckStatus status)
    {
        var label = verdict.Exemption is not null ? "EXEMPT" : verdict.PendingReview ? "PENDING" : Label(status);
        var key = verdict.KeyType is null ? "-" : $"{verdict.KeyType} {verdict.KeyFingerprint}";
        var detail = verdict.Exemption is not null ? $"exempted: {verdict.Exemption}"
            : status == CheckStatus.Passed ? verdict.HardwareEvidence
            : verdict.FirstFailure?.Actual;
        var line = $"  {label} {verdict.CommitId} {verdict.Signer ?? "-",-12} {key}  {detail}";
        var reviewers = verdict.Reviews.Where(r => r.Counted).Select(r => $"{r.Maintainer} ({r.Kind})").ToList();
        if (reviewers.Count > 0) line += $"; reviewed by {string.Join(", ", reviewers)}";
        if (verdict.PolicyVersion is not null) line += $"; policy @{verdict.PolicyVersion[..12]}";
        if (verdict.Context != "range") line += $" [{verdict.Context}]";
        return line;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonReport.Options);

    private static string Label(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "ok    ",
        CheckStatus.Failed => "FAIL  ",
        _ => "BAD   ",
    };

    private static string Short(string? id) => id is null ? "root" : id[..12];
}
