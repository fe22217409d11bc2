using System.Text;
using System.Xml;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>
/// A JUnit XML report (the format GitLab, Jenkins and Azure DevOps display as test results): one test suite for the range,
/// one test case per commit and check that ran, named by the check's id, with the commit id as its class. A failed check
/// is a <c>failure</c> (of type <c>pending-review</c> when only reviews are missing, with the commands that fix it), a
/// malformed one an <c>error</c>. Test cases are streamed to a temporary file beside the report, since the suite's counts
/// come first in the file; the report appears complete or not at all.
/// </summary>
internal sealed class JUnitReport : IGateReportSink
{
    private readonly string _path;
    private readonly string _partial;
    private readonly XmlWriter _cases;
    private int _tests, _failures, _errors;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public JUnitReport(string path)
    {
        _path = Path.GetFullPath(path);
        _partial = _path + ".partial";
        _cases = XmlWriter.Create(_partial, Settings(fragment: true));
    }

    public Task AddAsync(CommitVerdict verdict)
    {
        foreach (var check in verdict.Checks)
        {
            _tests++;
            _cases.WriteStartElement("testcase");
            _cases.WriteAttributeString("classname", verdict.CommitId);
            _cases.WriteAttributeString("name", Clean(check.Id));
            _cases.WriteAttributeString("time", "0");
            if (check.Status == CheckStatus.Failed)
            {
                _failures++;
                var pending = verdict.PendingReview && check.Id == CommitVerdict.ReviewCheckId;
                _cases.WriteStartElement("failure");
                _cases.WriteAttributeString("type", pending ? "pending-review" : "policy-violation");
                _cases.WriteAttributeString("message", Clean(pending ? PendingReviewFix.Sentence(verdict) : check.Actual));
                _cases.WriteString(Clean(Details(check, pending ? verdict : null)));
                _cases.WriteEndElement();
            }
            else if (check.Status == CheckStatus.Malformed)
            {
                _errors++;
                _cases.WriteStartElement("error");
                _cases.WriteAttributeString("type", "malformed");
                _cases.WriteAttributeString("message", Clean(check.Actual));
                _cases.WriteString(Clean(Details(check, null)));
                _cases.WriteEndElement();
            }
            _cases.WriteElementString("system-out", Clean($"commit {verdict.CommitId} \"{verdict.Summary}\" ({verdict.Context}); signer {verdict.Signer ?? "-"}; " +
                                                          $"{check.Id}: {check.Actual}{(check.Evidence is null ? "" : $"; evidence: {check.Evidence}")}"));
            _cases.WriteEndElement();
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(GateRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _cases.Dispose();
        var temporary = _path + ".writing";
        using (var writer = XmlWriter.Create(temporary, Settings(fragment: false)))
        {
            var name = Clean($"buildtrust verify-commits {result.Scope.Range}");
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", name);
            Counts(writer);
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", name);
            Counts(writer);
            writer.WriteAttributeString("skipped", "0");
            writer.WriteAttributeString("timestamp", _started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartElement("properties");
            Property(writer, "range", result.Scope.Range);
            Property(writer, "include", result.Scope.IncludeCommit);
            Property(writer, "exclude", result.Scope.ExcludeCommit ?? "");
            Property(writer, "policy", result.Scope.PolicySource);
            Property(writer, "policy.sha256", result.Scope.PolicySha256);
            Property(writer, "authority", result.Scope.AuthorityOrigin ?? "trusted as given");
            Property(writer, "verdict", result.Verdict);
            Property(writer, "exitCode", result.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndElement();
            writer.Flush();
            // The streamed test cases, as written (already well-formed XML).
            foreach (var line in File.ReadLines(_partial)) writer.WriteRaw(line + "\n");
            if (!result.Authenticated)
            {
                writer.WriteStartElement("testcase");
                writer.WriteAttributeString("classname", "policy");
                writer.WriteAttributeString("name", "policy.authenticated");
                writer.WriteStartElement("failure");
                writer.WriteAttributeString("type", "policy-violation");
                writer.WriteAttributeString("message", Clean(result.Scope.AuthorityOrigin ?? "the policy is not authenticated"));
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        File.Delete(_partial);
        File.Move(temporary, _path, overwrite: true);
        return Task.CompletedTask;

        void Counts(XmlWriter writer)
        {
            var authentication = result.Authenticated ? 0 : 1;
            writer.WriteAttributeString("tests", (_tests + authentication).ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteAttributeString("failures", (_failures + authentication).ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteAttributeString("errors", _errors.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public ValueTask DisposeAsync()
    {
        // A run that stopped early leaves no report: a partial one could read as fewer failures.
        _cases.Dispose();
        if (File.Exists(_partial)) File.Delete(_partial);
        return ValueTask.CompletedTask;
    }

    private static void Property(XmlWriter writer, string name, string value)
    {
        writer.WriteStartElement("property");
        writer.WriteAttributeString("name", name);
        writer.WriteAttributeString("value", Clean(value));
        writer.WriteEndElement();
    }

    private static string Details(CheckResult check, CommitVerdict? pending)
    {
        var text = new StringBuilder().Append("expected: ").AppendLine(check.Expected).Append("found: ").AppendLine(check.Actual);
        if (check.Evidence is not null) text.Append("evidence: ").AppendLine(check.Evidence);
        if (pending is not null) text.Append("fix: ").Append(PendingReviewFix.Approve(pending)).Append(" && ").AppendLine(PendingReviewFix.Push);
        return text.ToString();
    }

    private static XmlWriterSettings Settings(bool fragment) => new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = true,
        ConformanceLevel = fragment ? ConformanceLevel.Fragment : ConformanceLevel.Document,
    };

    /// <summary>Text XML 1.0 can carry: characters it cannot (controls, lone surrogates) become U+FFFD, so a hostile commit message cannot break the report.</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar)) return text;
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
            }
        }
        return clean.ToString();
    }
}
