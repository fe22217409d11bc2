using System.Text.Json;
using BuildTrust.Cli.Rendering.Json;
using BuildTrust.Verifiers.Imports;

namespace BuildTrust.Cli.Rendering;

/// <summary>Renders an import: per group, the quorum verdict, the distinct digest sets and who holds each, and every attestation's verdict.</summary>
public static class ImportReportWriter
{
    public static async Task WriteTextAsync(TextWriter output, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        // Thousands of lines for a whole repository: written at once, not one write per line to an unbuffered stderr.
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var problem in report.Problems) await text.WriteLineAsync($"PROBLEM   {problem}");
        foreach (var group in report.Groups)
        {
            await text.WriteLineAsync($"{(group.Quorum.Passed ? "PASSED" : "FAILED")}  {group.Group}: {group.Quorum.Reason}");
            foreach (var set in group.Sets) await text.WriteLineAsync($"  set {set.Sha256[..16]} ({set.ArtifactCount} artifacts): {string.Join(", ", set.Signers)}");
            foreach (var attestation in group.Attestations)
                await text.WriteLineAsync($"  {Label(attestation.Verdict)} {attestation.Signer}: {attestation.Reason}");
        }
        var passed = report.Groups.Count(g => g.Quorum.Passed);
        await text.WriteLineAsync($"{report.Format}: {passed} of {report.Groups.Count} group(s) reach the quorum of {report.Quorum}; " +
            $"{report.Groups.Sum(g => g.Attestations.Count)} attestation(s), {report.Groups.Sum(g => g.Attestations.Count(a => a.Counts))} good");
        await text.WriteLineAsync(report.Passed ? "IMPORT PASSED" : "IMPORT FAILED");
        await output.WriteAsync(text.ToString());
    }

    public static async Task WriteJsonAsync(TextWriter output, ImportReport report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        var document = new ImportDocument("https://buildtrust.dev/import-report/v1", report.Format, report.Quorum, report.Passed, report.Problems,
            [.. report.Groups.Select(g => new ImportDocument.Group(g.Group, g.Quorum.Passed, g.Quorum.Reason,
                [.. g.Sets.Select(s => new ImportDocument.Set(s.Sha256, s.ArtifactCount, s.Signers))], g.Quorum.Agreed,
                [.. g.Attestations.Select(a => new ImportDocument.Attestation(a.Signer, a.Verdict, a.Reason, a.Files, a.SigningKey))]))]);
        await output.WriteLineAsync(JsonSerializer.Serialize(document, ReportJsonContext.Default.ImportDocument));
    }

    private static string Label(AttestationVerdict verdict) => verdict switch
    {
        AttestationVerdict.Good => "good       ",
        AttestationVerdict.Bad => "BAD        ",
        AttestationVerdict.UnknownKey => "UNKNOWN-KEY",
        AttestationVerdict.Expired => "EXPIRED    ",
        AttestationVerdict.Refused => "REFUSED    ",
        _ => "MALFORMED  ",
    };
}
