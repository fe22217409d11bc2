using System.Text.Json;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy.Check;

namespace BuildTrust.Cli.Rendering;

/// <summary>Renders a <c>policy check</c> report: per maintainer and key for people (stderr), the same report as JSON (stdout).</summary>
public static class PolicyCheckWriter
{
    public const string JsonSchema = "https://buildtrust.invalid/schemas/policy-check/v1";

    public static async Task WriteTextAsync(TextWriter text, PolicyCheckReport report, string authority, IReadOnlyList<CommitVerdict> refused)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(refused);
        await text.WriteLineAsync($"Policy {report.Source} (sha256 {report.Sha256}): {authority}");
        await text.WriteLineAsync($"  commits: require {report.Require}, user-verification {Flag(report.UserVerification)}, require-touch {Flag(report.RequireTouch)}, " +
                                  $"reviews {report.Reviews}, policy-changes {report.PolicyChanges}; builders {report.Builders}{(report.Quorum is { } q ? $", quorum {q}" : "")}; evidence checked on {report.CheckedOn:yyyy-MM-dd}");
        foreach (var verdict in refused)
            await text.WriteLineAsync($"  REFUSED policy change {verdict.CommitId} \"{verdict.Summary}\": [{verdict.FirstFailure?.Id}] {verdict.FirstFailure?.Actual}");
        foreach (var maintainer in report.Maintainers)
        {
            await text.WriteLineAsync();
            await text.WriteLineAsync($"{maintainer.Id}: {string.Join(", ", maintainer.Roles)}{(maintainer.ValidUntil is { } until ? $", valid until {until:yyyy-MM-dd}" : "")}");
            foreach (var key in maintainer.Keys)
            {
                await text.WriteLineAsync($"  {(key.CanPass ? "ok  " : "FAIL")} {key.Type} {key.Fingerprint} (line {key.Line}){(key.ValidUntil is { } end ? $", valid until {end:yyyy-MM-dd}" : ", no expiry")}");
                await text.WriteLineAsync($"       hardware: {key.Hardware}");
                if (key.Evidence is { } e)
                {
                    var fields = new List<string> { $"{e.Kind} {(e.Valid ? "verified" : "REFUSED")}" };
                    if (e.Root is not null) fields.Add($"root '{e.Root}'");
                    if (e.Applet is not null) fields.Add($"applet {e.Applet}");
                    if (e.Serial is not null) fields.Add($"serial {e.Serial}");
                    if (e.Firmware is not null) fields.Add($"firmware {e.Firmware}");
                    if (e.Pin is not null) fields.Add($"PIN policy {e.Pin}");
                    if (e.Touch is not null) fields.Add($"touch policy {e.Touch}");
                    if (e.FormFactorName is not null) fields.Add($"form factor {e.FormFactorName}");
                    if (e.Aaguid is not null) fields.Add($"AAGUID {e.Aaguid}{(e.AuthenticatorModel is { } model ? $" ({model})" : " (model not known)")}");
                    if (e.EnrollmentFlags is not null) fields.Add($"enrollment flags {(e.EnrollmentFlags.Count == 0 ? "none" : string.Join("+", e.EnrollmentFlags))}");
                    await text.WriteLineAsync($"       evidence: {string.Join(", ", fields)}");
                    if (e.Failure is not null) await text.WriteLineAsync($"       why refused: {e.Failure}");
                }
                if (key.Problem is not null) await text.WriteLineAsync($"       cannot pass: {key.Problem}");
            }
        }
        await text.WriteLineAsync();
        foreach (var finding in report.Findings)
            await text.WriteLineAsync($"{(finding.Severity == FindingSeverity.NeverMet ? "NEVER MET" : "WARNING  ")} {finding.Subject}: {finding.Message}");
        var never = report.Findings.Count(f => f.Severity == FindingSeverity.NeverMet);
        var warnings = report.Findings.Count - never;
        await text.WriteLineAsync(never > 0 || refused.Count > 0
            ? $"POLICY CHECK FAILED: {never} rule(s) can never be met{(refused.Count > 0 ? $", {refused.Count} unauthenticated policy change(s)" : "")}, {warnings} warning(s)"
            : $"POLICY CHECK PASSED: every rule can be met; {warnings} warning(s)");
    }

    public static async Task WriteJsonAsync(TextWriter output, PolicyCheckReport report, string authority, IReadOnlyList<CommitVerdict> refused, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(output);
        var document = new
        {
            schema = JsonSchema,
            authority,
            refusedPolicyChanges = refused,
            report,
            exitCode,
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(document, JsonReport.Options));
    }

    private static string Flag(bool value) => value ? "on" : "off";
}
