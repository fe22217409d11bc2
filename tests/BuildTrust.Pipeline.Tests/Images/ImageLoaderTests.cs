using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Images;

/// <summary><c>docker load</c> of a built image on a real engine: only the archive of the pinned image is ever loaded.</summary>
[Collection("engines")]
public sealed class ImageLoaderTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-image-load-");

    public void Dispose() => directory.Dispose();

    private static void Remove(string id) => ExternalProcess.Run("docker", ["-H", TestEngines.A.ToString(), "rmi", "-f", id]);

    [EngineFact]
    public async Task The_pinned_image_is_loaded_and_the_engine_reports_its_id()
    {
        var archive = directory.Combine("pinned.tar");
        var id = TinyImageArchive.Write(archive, "loader test: pinned", new string('1', 64));
        Remove(id);
        using var engine = DockerContainerEngine.Connect(TestEngines.A, null);

        await ImageLoader.LoadAsync(engine, new BuiltImage(id, archive, [], new FileInfo(archive).Length), CancellationToken.None);

        Assert.Equal(id, (await engine.InspectImageAsync(id, CancellationToken.None))?.Id);
    }

    [EngineFact]
    public async Task An_archive_replaced_by_another_image_is_refused_before_loading_even_when_the_pinned_image_is_present()
    {
        var pinnedArchive = directory.Combine("pinned.tar");
        var pinned = TinyImageArchive.Write(pinnedArchive, "loader test: pinned", new string('1', 64));
        var replacement = directory.Combine("replacement.tar");
        var other = TinyImageArchive.Write(replacement, "loader test: another image", new string('1', 64));
        Remove(other);
        using var engine = DockerContainerEngine.Connect(TestEngines.A, null);
        await ImageLoader.LoadAsync(engine, new BuiltImage(pinned, pinnedArchive, [], 0), CancellationToken.None);

        await Assert.ThrowsAsync<ImageArchiveException>(() => ImageLoader.LoadAsync(engine, new BuiltImage(pinned, replacement, [], 0), CancellationToken.None));

        Assert.Null(await engine.InspectImageAsync(other, CancellationToken.None));
    }

    [EngineFact]
    public async Task An_archive_whose_layer_was_altered_is_refused_before_loading()
    {
        var archive = directory.Combine("altered.tar");
        var id = TinyImageArchive.Write(archive, "loader test: altered", new string('1', 64), alterLayer: true);
        Remove(id);
        using var engine = DockerContainerEngine.Connect(TestEngines.A, null);

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => ImageLoader.LoadAsync(engine, new BuiltImage(id, archive, [], 0), CancellationToken.None));

        Assert.Contains("layer", error.Message);
        Assert.DoesNotContain("loading the image failed", error.Message);
        Assert.Null(await engine.InspectImageAsync(id, CancellationToken.None));
    }
}
