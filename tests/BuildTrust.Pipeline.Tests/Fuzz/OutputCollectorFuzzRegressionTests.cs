using BuildTrust.Pipeline.Builders;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Fuzz;

/// <summary>
/// Output archives that used to escape the collector as an IOException, InvalidOperationException, OverflowException or NotSupportedException (which
/// BuilderRunner does not catch) instead of a <see cref="CollectionException"/>: fuzz/README.md, target <c>tar</c>. Each must now
/// be refused with a collection error naming the entry (entries before it may already be written; the caller discards the run).
/// </summary>
public sealed class OutputCollectorFuzzRegressionTests : IDisposable
{
    private readonly TemporaryDirectory destination = new("buildtrust-collect-fuzz-");

    public void Dispose() => destination.Dispose();

    [Theory]
    [InlineData("file-then-folder.tar", "/out/a/b is both a file and a folder")]
    [InlineData("folder-then-file.tar", "/out/a is both a file and a folder")]
    [InlineData("name-over-255-bytes.tar", "has a name longer than 255 bytes or a path longer than 2048 bytes")]
    [InlineData("path-over-2048-bytes.tar", "has a name longer than 255 bytes or a path longer than 2048 bytes")]
    [InlineData("pax-header-size-over-limit.tar", "the output archive is malformed")]
    [InlineData("gnu-long-name-size-over-limit.tar", "the output archive is malformed")]
    [InlineData("base256-number-overflow.tar", "the output archive is malformed")]
    [InlineData("gnu-sparse-entry.tar", "the output archive is malformed: Entry type 'SparseFile' not supported")]
    [InlineData("afl-file-and-folder.tar", "/out/bin/app is both a file and a folder")]
    public async Task Archive_WhenNoFileSystemCouldHoldIt_IsRefusedAsACollectionError(string input, string expected)
    {
        await using var tar = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fuzz", "Regressions", "tar", input));

        var error = await Assert.ThrowsAsync<CollectionException>(() =>
            new OutputCollector(OutputGlob.Parse(["/out/**"])).CollectAsync(tar, destination.Path, CancellationToken.None));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
