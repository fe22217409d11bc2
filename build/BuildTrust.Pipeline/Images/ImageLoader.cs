using BuildTrust.Pipeline.Containers;

namespace BuildTrust.Pipeline.Images;

/// <summary>Loads a built image into an engine and checks the engine computed the same id.</summary>
public static class ImageLoader
{
    public static async Task LoadAsync(Uri endpoint, string? tlsDirectory, BuiltImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var engine = DockerContainerEngine.Connect(endpoint, tlsDirectory);
        await LoadAsync(engine, image, cancellationToken);
    }

    public static async Task LoadAsync(IContainerEngine engine, BuiltImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(image);
        await using (var archive = new FileStream(image.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            await engine.LoadImageAsync(archive, cancellationToken);
        var loaded = await engine.InspectImageAsync(image.Id, cancellationToken);
        if (loaded?.Id != image.Id)
            throw new ContainerEngineException($"{engine.Endpoint}: after loading, the engine does not report image {image.Id} (found {loaded?.Id ?? "nothing"})");
    }
}
