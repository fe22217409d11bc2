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

    /// <summary>
    /// mmdebstrap parses options anywhere on its command line (Getopt::Long with permute): a recipe value placed
    /// among the positional arguments could be an option, such as a hook run as root. The builder ends its options
    /// with <c>--</c>, so even a recipe that bypassed the loader's validation cannot add one.
    /// </summary>
    [MmdebstrapFact]
    public void Mmdebstrap_takes_every_recipe_value_as_a_positional_argument_never_as_an_option()
    {
        using var directory = new TemporaryDirectory("buildtrust-image-");
        var marker = directory.Combine("setup-hook-ran");
        var unvalidated = new ImageRecipe("hostile.yaml", "buildtrust-test/hostile", "bookworm", $"--setup-hook=touch {marker}; false",
            "essential", [], 1700000000, [], [], new string('0', 64));

        var error = Assert.Throws<ImageRecipeException>(() => ImageBuilder.Build(unvalidated, directory.Combine("image.tar"), _ => { }, CancellationToken.None));

        Assert.False(File.Exists(marker), "mmdebstrap ran a hook named by the recipe");
        Assert.Contains("invalid mirror: --setup-hook", error.Message);
    }
}
