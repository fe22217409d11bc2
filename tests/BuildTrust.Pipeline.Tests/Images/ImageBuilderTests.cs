using BuildTrust.Pipeline.Images;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Images;

[Collection("engines")]
public sealed class ImageBuilderTests
{
    [EngineFact]
    public async Task Building_the_same_recipe_twice_gives_the_same_image_id_and_archive()
    {
        var first = await TestImages.CToolchainAsync();
        using var directory = new TemporaryDirectory("buildtrust-image-");
        var recipe = ImageRecipeLoader.Load(Path.Combine(TestImages.RepositoryRoot, "images", "c-toolchain.yaml"));

        var second = ImageBuilder.Build(recipe, directory.Combine("again.tar"), _ => { }, CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.ArchiveBytes, second.ArchiveBytes);
    }
}
