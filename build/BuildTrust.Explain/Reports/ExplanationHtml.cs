using System.Net;
using System.Text;
using BuildTrust.Explain.Causes;

namespace BuildTrust.Explain.Reports;

/// <summary>
/// A self-contained HTML report: no script, no external resource (a Content-Security-Policy forbids any), every value from
/// the artifacts HTML-encoded. Each cause shows its evidence side by side (reference builder | other builder); raw hunks
/// are collapsed in &lt;details&gt;.
/// </summary>
public static class ExplanationHtml
{
    private const int EvidenceShown = 40;

    public static string Render(Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>BuildTrust: why the builders disagree</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
            h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #d0d7de}
            .verdict{padding:.6rem .9rem;border-radius:6px;font-weight:600}
            .fail{background:#ffebe9;border:1px solid #cf222e} .pass{background:#dafbe1;border:1px solid #1a7f37}
            ol.causes>li{margin:.7rem 0} .id{font-family:monospace;background:#eaeef2;padding:0 .3rem;border-radius:4px}
            .fix{color:#0a3069} table.sbs{border-collapse:collapse;width:100%;margin:.4rem 0;table-layout:fixed}
            table.sbs th,table.sbs td{border:1px solid #d0d7de;padding:.25rem .4rem;vertical-align:top;font-family:monospace;font-size:.82rem;word-break:break-all;white-space:pre-wrap}
            table.sbs th{background:#f6f8fa} td.a{background:#fff5f5} td.b{background:#f0fff4}
            details pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:.78rem} .note{color:#57606a}
            </style></head><body>
            """);
        html.Append("<h1>Why the builders disagree</h1>");
        html.Append($"<p class=\"note\">Build folder <code>{E(explanation.Directory)}</code>; reference builder <code>{E(explanation.ReferenceBuilder ?? "-")}</code>; provenance {(explanation.ProvenanceVerified ? "verified" : "<strong>NOT verified</strong>")}; explained in {explanation.Elapsed.TotalSeconds:0.00} s.</p>");
        html.Append(!explanation.Compared ? "<p class=\"verdict fail\" id=\"verdict\">Not compared: fewer than two builders to compare.</p>"
            : explanation.NoDifference
            ? "<p class=\"verdict pass\" id=\"verdict\">No difference: every builder's artifacts are identical.</p>"
            : $"<p class=\"verdict fail\" id=\"verdict\">{explanation.Artifacts.Count} differing artifact(s); {explanation.Causes.Count} cause(s), most likely first.</p>");
        html.Append("<h2>Builders</h2><table class=\"sbs\"><tr><th>builder</th><th>variations</th></tr>");
        foreach (var builder in explanation.Builders)
            html.Append($"<tr><td>{E(builder.Id)}</td><td>{E(string.Join(", ", builder.Variations.Where(v => !v.Key.StartsWith("not-applied:", StringComparison.Ordinal)).Select(v => $"{v.Key}={v.Value}")))}</td></tr>");
        html.Append("</table>");
        if (!explanation.NoDifference)
        {
            html.Append("<h2>Causes</h2><ol class=\"causes\" id=\"causes\">");
            foreach (var cause in explanation.Causes) Cause(html, cause, explanation.ReferenceBuilder ?? "reference", "other builder");
            html.Append("</ol>");
            foreach (var artifact in explanation.Artifacts)
            {
                html.Append($"<h2 class=\"artifact\">{E(artifact.Name)} <span class=\"note\">({E(artifact.ReferenceBuilder)} vs {E(artifact.Builder)})</span></h2><ol class=\"causes\">");
                foreach (var cause in artifact.Causes) Cause(html, cause, artifact.ReferenceBuilder, artifact.Builder);
                html.Append("</ol>");
                if (artifact.DroppedDifferences > 0) html.Append($"<p class=\"note\">{artifact.DroppedDifferences} more difference(s) past the cap, not kept.</p>");
            }
        }
        if (explanation.Notes.Count + explanation.Skipped.Count > 0)
        {
            html.Append("<h2>Notes and what the caps skipped</h2><ul id=\"skipped\">");
            foreach (var line in explanation.Notes.Concat(explanation.Skipped)) html.Append($"<li>{E(line)}</li>");
            html.Append("</ul>");
        }
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Cause(StringBuilder html, Cause cause, string left, string right)
    {
        html.Append($"<li class=\"cause\" data-cause=\"{E(cause.Id)}\"><span class=\"id\">{E(cause.Id)}</span> {E(cause.Summary)}<div class=\"fix\">Fix: {E(cause.Fix)}</div>");
        html.Append($"<table class=\"sbs\"><tr><th style=\"width:30%\">where</th><th>{E(left)}</th><th>{E(right)}</th></tr>");
        foreach (var evidence in cause.Evidence.Take(EvidenceShown))
        {
            html.Append($"<tr><td>{E(evidence.Location)}{(evidence.Offset is { } offset ? $" @0x{offset:x}" : "")}</td><td class=\"a\">{E(evidence.A)}</td><td class=\"b\">{E(evidence.B)}</td></tr>");
        }
        html.Append("</table>");
        if (cause.Evidence.Count > EvidenceShown) html.Append($"<p class=\"note\">{cause.Evidence.Count - EvidenceShown} more piece(s) of evidence not shown.</p>");
        foreach (var raw in cause.Evidence.Where(e => e.Raw is not null).Take(5))
            html.Append($"<details><summary>raw hunk: {E(raw.Location)}</summary><pre>{E(raw.Raw!)}</pre></details>");
        html.Append("</li>");
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
