using System.Security.Cryptography;
using BuildTrust.Pipeline.Images;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Images;

/// <summary>
/// The image cache (artifacts/images) is a folder on disk: what it returns must be the image of the recipe asked
/// for, read from the archive itself, never from a side file someone could rewrite.
/// </summary>
public sealed class ImageCacheTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-image-cache-");

    public void Dispose() => directory.Dispose();

    private string Cache => directory.Combine("cache");

    /// <summary>A recipe whose build would fail at once (no such mirror): a test that reaches mmdebstrap sees it fail.</summary>
    private (string Path, string Digest, string Archive) Recipe()
    {
        var path = directory.Combine("tiny.yaml");
        File.WriteAllText(path, "name: buildtrust-test/tiny\nsuite: bookworm\nmirror: file:///nonexistent/buildtrust-test\nsource-date-epoch: 1700000000\n");
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Directory.CreateDirectory(Cache);
        return (path, digest, Path.Combine(Cache, $"buildtrust-test-tiny-{digest[..16]}.tar"));
    }

    [Fact]
    public void A_cached_archive_of_the_recipe_is_returned_with_the_id_computed_from_the_archive()
    {
        var (recipe, digest, archive) = Recipe();
        var id = TinyImageArchive.Write(archive, "the recipe's image", digest);

        var image = ImageCache.GetOrBuild(recipe, Cache, _ => { }, CancellationToken.None);

        Assert.Equal(id, image.Id);
        Assert.Equal(archive, image.ArchivePath);
    }

    [Fact]
    public void A_cached_archive_replaced_by_another_image_is_refused_even_when_the_id_file_names_the_pinned_image()
    {
        var (recipe, digest, archive) = Recipe();
        var pinned = TinyImageArchive.Write(directory.Combine("pinned.tar"), "the recipe's image", digest);
        TinyImageArchive.Write(archive, "another image", new string('0', 64));
        File.WriteAllText(archive + ".id", pinned);

        var error = Assert.Throws<ImageArchiveException>(() => ImageCache.GetOrBuild(recipe, Cache, _ => { }, CancellationToken.None));

        Assert.Contains(archive, error.Message);
        Assert.Contains("not the image of", error.Message);
    }

    [Fact]
    public void A_cached_archive_whose_layer_was_altered_is_refused()
    {
        var (recipe, digest, archive) = Recipe();
        TinyImageArchive.Write(archive, "the recipe's image", digest, alterLayer: true);

        var error = Assert.Throws<ImageArchiveException>(() => ImageCache.GetOrBuild(recipe, Cache, _ => { }, CancellationToken.None));

        Assert.Contains("layer", error.Message);
    }

    [Fact]
    public void A_lock_file_planted_as_a_symbolic_link_is_refused_and_its_target_is_not_created()
    {
        var (recipe, _, archive) = Recipe();
        var victim = directory.Combine("etc-nologin");
        File.CreateSymbolicLink(archive + ".lock", victim);

        var error = Assert.Throws<ImageArchiveException>(() => ImageCache.GetOrBuild(recipe, Cache, _ => { }, CancellationToken.None));

        Assert.False(File.Exists(victim), "the cache created the file the planted link points to");
        Assert.Contains("symbolic link", error.Message);
    }
}
