namespace BuildTrust.Explain.Reports;

/// <summary>The terminal report: each differing artifact with its ranked causes and their evidence, then the causes over all.</summary>
public static class ExplanationText
{
    private const int EvidenceShown = 3;

    public static async Task WriteAsync(TextWriter text, Explanation explanation)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(explanation);
        await text.WriteLineAsync($"explain {explanation.Directory}: {explanation.Builders.Count} builder(s), reference {explanation.ReferenceBuilder ?? "-"}, provenance {(explanation.ProvenanceVerified ? "verified" : "NOT verified")}");
        foreach (var note in explanation.Notes) await text.WriteLineAsync($"note      {note}");
        if (!explanation.Compared)
        {
            await text.WriteLineAsync($"NOT COMPARED: {explanation.Builders.Count} builder(s) to compare, at least two are needed");
            return;
        }
        if (explanation.NoDifference)
        {
            await text.WriteLineAsync("no difference: every builder's artifacts are identical to the reference builder's");
            foreach (var skipped in explanation.Skipped) await text.WriteLineAsync($"skipped   {skipped}");
            return;
        }
        foreach (var artifact in explanation.Artifacts)
        {
            var dropped = artifact.DroppedDifferences > 0 ? $" (+{artifact.DroppedDifferences} not kept)" : "";
            await text.WriteLineAsync($"differs   {artifact.Name} ({artifact.ReferenceBuilder} vs {artifact.Builder}): {artifact.Differences.Count} difference(s){dropped}");
            var rank = 0;
            foreach (var cause in artifact.Causes)
            {
                await text.WriteLineAsync($"  {++rank}. [{cause.Id}] {cause.Summary}");
                foreach (var evidence in cause.Evidence.Take(EvidenceShown))
                    await text.WriteLineAsync($"       {evidence.Location}: {Short(evidence.A)} | {Short(evidence.B)}");
                if (cause.Evidence.Count > EvidenceShown) await text.WriteLineAsync($"       ... and {cause.Evidence.Count - EvidenceShown} more");
            }
        }
        await text.WriteLineAsync("causes, ranked over every artifact:");
        var overall = 0;
        foreach (var cause in explanation.Causes) await text.WriteLineAsync($"  {++overall}. [{cause.Id}] {cause.Summary}");
        foreach (var skipped in explanation.Skipped) await text.WriteLineAsync($"skipped   {skipped}");
        await text.WriteLineAsync($"explained in {explanation.Elapsed.TotalSeconds:0.00} s");
    }

    internal static string Short(string value)
    {
        var line = value.Replace("\n", "⏎", StringComparison.Ordinal);
        line = new string([.. line.Select(c => char.IsControl(c) ? '?' : c)]);
        return line.Length == 0 ? "(nothing)" : line.Length <= 100 ? line : line[..100] + "…";
    }
}
