using System.Diagnostics;

namespace BuildTrust.Explain.Comparison;

/// <summary>The caps of one run as they are spent: bytes read or unpacked and the clock, shared by every comparer.</summary>
internal sealed class ComparisonBudget(ExplainLimits limits)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long bytes;

    public ExplainLimits Limits { get; } = limits;

    public List<string> Skipped { get; } = [];

    public bool OutOfTime => clock.Elapsed > Limits.Time;

    /// <summary>Takes <paramref name="count"/> bytes from the budget; false (and nothing taken) when that would pass a cap.</summary>
    public bool TryTake(long count)
    {
        if (count > Limits.MaxFileBytes || bytes + count > Limits.MaxTotalBytes) return false;
        bytes += count;
        return true;
    }

    public void Skip(string what)
    {
        if (Skipped.Count < 1000) Skipped.Add(what);
    }
}
