namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// The tree of one commit as a tar file: no working copy, no <c>.git</c>, no filters, every entry owned by
/// root with a fixed time, so every builder receives identical bytes. Deleted on dispose.
/// </summary>
/// <param name="Repository">Where the source came from, as recorded in provenance (the origin URL, else a file URI).</param>
/// <param name="SourceDateEpoch">The commit's committer time, given to builds as <c>SOURCE_DATE_EPOCH</c>.</param>
public sealed record ExportedSource(string Repository, string CommitId, long SourceDateEpoch, string TarPath, int FileCount, long ByteCount) : IDisposable
{
    public Stream OpenRead() => new FileStream(TarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public void Dispose() => File.Delete(TarPath);
}
