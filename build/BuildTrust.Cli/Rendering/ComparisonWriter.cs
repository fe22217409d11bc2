using System.Text.Json;
using BuildTrust.Cli.Rendering.Json;
using BuildTrust.Pipeline.Release;
using BuildTrust.Verifiers.Release;

namespace BuildTrust.Cli.Rendering;

/// <summary>Renders a comparison: artifacts x builders with digests and sizes, the verdict, and what differs.</summary>
public static class ComparisonWriter
{
    public static async Task WriteTextAsync(TextWriter text, ProvenanceSetResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(result);
        foreach (var problem in result.Malformed) await text.WriteLineAsync($"MALFORMED {problem}");
        foreach (var problem in result.Problems) await text.WriteLineAsync($"REFUSED   {problem}");
        var builders = result.Accepted.Select(a => a.Claims.BuilderId).ToList();
        if (builders.Count > 0)
        {
            var names = result.Accepted.SelectMany(a => a.Claims.Subjects.Select(s => s.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var width = Math.Max(8, names.Max(n => n.Length));
            await text.WriteLineAsync($"{"artifact".PadRight(width)}  {string.Join("  ", builders.Select(b => b.PadRight(22)))}");
            foreach (var name in names)
            {
                var cells = result.Accepted.Select(a =>
                {
                    var subject = a.Claims.Subjects.FirstOrDefault(s => s.Name == name);
                    return (subject is null ? "(missing)" : $"{subject.Sha256[..12]} {Size(directory, a.Claims.BuilderId, name)}").PadRight(22);
                });
                await text.WriteLineAsync($"{name.PadRight(width)}  {string.Join("  ", cells)}");
            }
        }
        if (result.Quorum is { } quorum)
        {
            foreach (var difference in quorum.Differences)
            {
                var described = difference.DigestByBuilder.Select(p => $"{p.Key}: {(p.Value is null ? "missing" : $"{p.Value[..12]} ({Size(directory, p.Key, difference.Name)})")}");
                await text.WriteLineAsync($"differs   {difference.Name}: {string.Join(", ", described)}");
            }
            if (quorum.Groups.Count > 1) await text.WriteLineAsync($"groups    {string.Join(" | ", quorum.Groups.Select(g => string.Join(", ", g)))}");
            await text.WriteLineAsync($"quorum    {quorum.Reason}");
        }
        if (result.SourceCommit is { } commit) await text.WriteLineAsync($"commit    {commit}");
        await text.WriteLineAsync(result.Passed ? "COMPARE PASSED" : "COMPARE FAILED");
    }

    public static async Task WriteJsonAsync(TextWriter output, ProvenanceSetResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(result);
        var report = new ComparisonDocument(result.Passed, result.SourceCommit, result.Problems, result.Malformed,
            [.. result.Accepted.Select(a => new ComparisonDocument.Builder(a.Claims.BuilderId, a.Path, a.BundleSha256, a.Claims.SourceCommit, a.Claims.RecipeDigest,
                a.Claims.ImageDigest, a.Claims.Subjects.ToDictionary(s => s.Name, s => s.Sha256)))],
            result.Quorum is null ? null : new ComparisonDocument.QuorumPart(result.Quorum.Required, result.Quorum.Passed, result.Quorum.Reason, result.Quorum.AgreeingBuilders,
                [.. result.Quorum.Differences.Select(d => new ComparisonDocument.Difference(d.Name, d.DigestByBuilder))]));
        await output.WriteLineAsync(JsonSerializer.Serialize(report, ReportJsonContext.Default.ComparisonDocument));
    }

    private static string Size(string directory, string builder, string name)
    {
        var file = new FileInfo(Path.Combine(BuildFolder.Artifacts(directory, builder), name));
        return file.Exists ? $"{file.Length} B" : "?";
    }
}
