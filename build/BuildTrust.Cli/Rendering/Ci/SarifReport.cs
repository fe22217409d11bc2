using System.Text.Json;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>
/// A SARIF 2.1.0 log (OASIS; what GitHub code scanning and Azure DevOps read): one result per refused commit, its rule the
/// check that failed (level <c>error</c>; <c>warning</c> for a commit only pending review, with the commands that fix it), the
/// commit as a logical location, and the run's verdict in its invocation. Results are streamed; the rules met are written
/// after them (property order is free in JSON). Written beside the target and renamed once complete.
/// </summary>
internal sealed class SarifReport : IGateReportSink
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string InformationUri = "https://github.com/buildtrust/buildtrust#what-a-commit-must-satisfy-in-this-order-the-first-failure-is-reported";

    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly List<(string Id, string Description)> _rules = [];
    private readonly Dictionary<string, int> _ruleIndex = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public SarifReport(string path)
    {
        _path = Path.GetFullPath(path);
        _temporary = _path + ".writing";
        _file = new FileStream(_temporary, FileMode.Create, FileAccess.Write);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { Indented = true });
        _json.WriteStartObject();
        _json.WriteString("$schema", Schema);
        _json.WriteString("version", "2.1.0");
        _json.WriteStartArray("runs");
        _json.WriteStartObject();
        _json.WriteStartArray("results");
    }

    public async Task AddAsync(CommitVerdict verdict)
    {
        if (verdict.Status == CheckStatus.Passed) return;
        var failure = verdict.FirstFailure!;
        if (!_ruleIndex.TryGetValue(failure.Id, out var index))
        {
            _ruleIndex[failure.Id] = index = _rules.Count;
            _rules.Add((failure.Id, $"Every commit must satisfy '{failure.Id}': {failure.Expected}."));
        }
        _json.WriteStartObject();
        _json.WriteString("ruleId", failure.Id);
        _json.WriteNumber("ruleIndex", index);
        _json.WriteString("level", verdict.PendingReview ? "warning" : "error");
        _json.WriteString("kind", "fail");
        _json.WriteStartObject("message");
        _json.WriteString("text", verdict.PendingReview
            ? $"Commit {verdict.CommitId} \"{verdict.Summary}\" is {PendingReviewFix.Sentence(verdict)}."
            : $"Commit {verdict.CommitId} \"{verdict.Summary}\" {(verdict.Status == CheckStatus.Malformed ? "is malformed" : "violates the policy")}: {failure.Actual} (expected {failure.Expected}).");
        _json.WriteEndObject();
        _json.WriteStartArray("locations");
        _json.WriteStartObject();
        _json.WriteStartArray("logicalLocations");
        _json.WriteStartObject();
        _json.WriteString("name", verdict.CommitId);
        _json.WriteString("fullyQualifiedName", $"commit/{verdict.CommitId}");
        _json.WriteString("kind", "object");
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteStartObject("partialFingerprints");
        _json.WriteString("buildtrustCommitCheck/v1", $"{verdict.CommitId}:{failure.Id}");
        _json.WriteEndObject();
        _json.WriteStartObject("properties");
        _json.WriteString("commitId", verdict.CommitId);
        _json.WriteString("summary", verdict.Summary);
        _json.WriteString("status", verdict.PendingReview ? "pending-review" : verdict.Status == CheckStatus.Malformed ? "malformed" : "failed");
        _json.WriteString("context", verdict.Context);
        if (verdict.Signer is not null) _json.WriteString("signer", verdict.Signer);
        if (verdict.KeyFingerprint is not null) _json.WriteString("keyFingerprint", verdict.KeyFingerprint);
        if (failure.Evidence is not null) _json.WriteString("evidence", failure.Evidence);
        if (verdict.PendingReview)
        {
            _json.WriteStartArray("fix");
            _json.WriteStringValue(PendingReviewFix.Approve(verdict));
            _json.WriteStringValue(PendingReviewFix.Push);
            _json.WriteEndArray();
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        if (_json.BytesPending > 1 << 16) await _json.FlushAsync();
    }

    public async Task CompleteAsync(GateRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _json.WriteEndArray();
        _json.WriteStartObject("tool");
        _json.WriteStartObject("driver");
        _json.WriteString("name", "BuildTrust");
        _json.WriteString("fullName", "BuildTrust source gate (buildtrust verify-commits)");
        _json.WriteString("informationUri", InformationUri);
        _json.WriteString("version", Version);
        _json.WriteString("semanticVersion", Version);
        _json.WriteStartArray("rules");
        foreach (var (id, description) in _rules)
        {
            _json.WriteStartObject();
            _json.WriteString("id", id);
            _json.WriteStartObject("shortDescription");
            _json.WriteString("text", $"BuildTrust check '{id}'");
            _json.WriteEndObject();
            _json.WriteStartObject("fullDescription");
            _json.WriteString("text", description);
            _json.WriteEndObject();
            _json.WriteStartObject("help");
            _json.WriteString("text", "See the README, 'What a commit must satisfy', for what this check requires and how to meet it.");
            _json.WriteEndObject();
            _json.WriteString("helpUri", InformationUri);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteStartArray("invocations");
        _json.WriteStartObject();
        _json.WriteBoolean("executionSuccessful", true);
        _json.WriteNumber("exitCode", result.ExitCode);
        _json.WriteString("startTimeUtc", _started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        _json.WriteString("endTimeUtc", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        _json.WriteStartObject("properties");
        _json.WriteString("range", result.Scope.Range);
        _json.WriteString("includeCommit", result.Scope.IncludeCommit);
        if (result.Scope.ExcludeCommit is not null) _json.WriteString("excludeCommit", result.Scope.ExcludeCommit);
        _json.WriteString("policy", result.Scope.PolicySource);
        _json.WriteString("policySha256", result.Scope.PolicySha256);
        _json.WriteString("authority", result.Scope.Authority.ToString());
        _json.WriteString("verdict", result.Verdict);
        _json.WriteNumber("passed", result.Summary.Passed);
        _json.WriteNumber("failed", result.Summary.Failed);
        _json.WriteNumber("pendingReview", result.Summary.PendingReview);
        _json.WriteNumber("malformed", result.Summary.Malformed);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteString("columnKind", "utf16CodeUnits");
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        await _json.FlushAsync();
        await _file.FlushAsync();
        await _json.DisposeAsync();
        await _file.DisposeAsync();
        File.Move(_temporary, _path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _file.DisposeAsync();
        // A run that stopped early leaves no report: a partial one could read as fewer failures.
        if (File.Exists(_temporary)) File.Delete(_temporary);
    }

    private static string Version => typeof(SarifReport).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
