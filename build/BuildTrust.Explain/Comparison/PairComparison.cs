using BuildTrust.Explain.Formats;

namespace BuildTrust.Explain.Comparison;

/// <summary>
/// Compares the two sides of one artifact, recursing into the containers it recognises, and collects the differences
/// (capped). Every format reader is bounded and falls back to a byte comparison, with a note, on input it cannot read.
/// </summary>
internal sealed class PairComparison(ComparisonBudget budget)
{
    public List<Difference> Differences { get; } = [];

    public int Dropped { get; private set; }

    public ComparisonBudget Budget { get; } = budget;

    public void Add(Difference difference)
    {
        if (Differences.Count < Budget.Limits.MaxDifferencesPerArtifact) Differences.Add(difference);
        else Dropped++;
    }

    /// <summary>Compares <paramref name="a"/> and <paramref name="b"/>, found at <paramref name="location"/>.</summary>
    public void Compare(string location, byte[] a, byte[] b, int depth)
    {
        if (a.AsSpan().SequenceEqual(b)) return;
        if (Budget.OutOfTime)
        {
            Budget.Skip($"{location}: not compared in depth, the time cap of {Budget.Limits.Time.TotalSeconds:0} s was reached");
            BinaryDiff.Compare(this, location, a, b, stringsToo: false);
            return;
        }
        var kind = FileFormats.Detect(a);
        if (kind != FileFormats.Detect(b)) kind = FileFormat.Binary;
        if (depth >= Budget.Limits.MaxDepth && kind is FileFormat.Gzip or FileFormat.Tar or FileFormat.Zip or FileFormat.Ar)
        {
            Budget.Skip($"{location}: containers nested deeper than {Budget.Limits.MaxDepth} are compared as bytes");
            kind = FileFormat.Binary;
        }
        string? fallback = kind switch
        {
            FileFormat.Gzip => GzipComparer.Compare(this, location, a, b, depth),
            FileFormat.Tar => TarComparer.Compare(this, location, a, b, depth),
            FileFormat.Zip => ZipComparer.Compare(this, location, a, b, depth),
            FileFormat.Ar => ArComparer.Compare(this, location, a, b, depth),
            FileFormat.Elf => ElfComparer.Compare(this, location, a, b),
            FileFormat.PortableExecutable => PeComparer.Compare(this, location, a, b),
            FileFormat.PortablePdb => PeComparer.ComparePdb(this, location, a, b),
            FileFormat.Text => TextDiff.Compare(this, location, a, b),
            _ => "",
        };
        if (fallback is null) return;
        if (fallback.Length > 0) Budget.Skip($"{location}: {fallback}; compared as bytes");
        BinaryDiff.Compare(this, location, a, b, stringsToo: true);
    }
}
