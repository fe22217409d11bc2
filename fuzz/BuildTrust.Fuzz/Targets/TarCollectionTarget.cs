using BuildTrust.Pipeline.Builders;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// tar: the tar stream a container engine returns for <c>/out</c> through <see cref="OutputCollector.CollectAsync"/>
/// (default limits, globs <c>/out/**</c> and <c>/out/bin/*</c>) into a fresh folder, removed afterwards.
/// Expected: <see cref="CollectionException"/>.
/// </summary>
internal sealed class TarCollectionTarget : IFuzzTarget
{
    private readonly OutputCollector _collector = new(OutputGlob.Parse(["/out/**", "/out/bin/*"]));
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"buildtrust-fuzz-tar-{Environment.ProcessId}");
    private int _runs;

    public string Name => "tar";

    public string Description => "tar stream of a container's /out: the output collector (links, paths, sizes, formats)";

    public string Run(byte[] input)
    {
        var destination = Path.Combine(_scratch, (++_runs).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var stream = new MemoryStream(input, writable: false);
            var artifacts = _collector.CollectAsync(stream, destination, CancellationToken.None).GetAwaiter().GetResult();
            return $"collected {artifacts.Count} files: {string.Join(", ", artifacts.Select(a => a.Name))}";
        }
        catch (CollectionException e)
        {
            return $"refused: {e.Message}";
        }
        finally
        {
            if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
        }
    }
}
