using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Files;

namespace BuildTrust.Pipeline.Images;

/// <summary>
/// Loads a built image into an engine: the archive is first proven to hold exactly that image (<see cref="ImageArchive"/>),
/// then the same open file is streamed to the engine, which must then report the image id.
/// </summary>
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
        if (FileKinds.Of(image.ArchivePath) is var kind and not FileKind.RegularFile)
            throw new ImageArchiveException($"{image.ArchivePath}: is {FileKinds.Describe(kind)}; an image archive must be a regular file");
        await using (var archive = new FileStream(image.ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        {
            var contents = ImageArchive.Read(archive, image.ArchivePath);
            if (contents.Id != image.Id)
                throw new ImageArchiveException($"{image.ArchivePath}: holds image {contents.Id}, not {image.Id}; refusing to load it");
            archive.Position = 0;
            await engine.LoadImageAsync(archive, cancellationToken);
        }
        var loaded = await engine.InspectImageAsync(image.Id, cancellationToken);
        if (loaded?.Id != image.Id)
            throw new ContainerEngineException($"{engine.Endpoint}: after loading, the engine does not report image {image.Id} (found {loaded?.Id ?? "nothing"})");
    }
}
