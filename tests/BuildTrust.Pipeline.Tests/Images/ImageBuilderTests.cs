using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Processes;
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

    /// <summary>A recipe whose mmdebstrap would fail at once: a test reaching it sees "mmdebstrap failed".</summary>
    private static ImageRecipe LoadRecipe(TemporaryDirectory directory, string folders)
    {
        var path = directory.Combine("recipe.yaml");
        File.WriteAllText(path, "name: buildtrust-test/folders\nsuite: bookworm\nmirror: file:///nonexistent/buildtrust-test\nsource-date-epoch: 1700000000\n" + folders);
        return ImageRecipeLoader.Load(path);
    }

    [Fact]
    public void A_folder_replaced_by_a_symbolic_link_after_loading_is_refused_before_mmdebstrap_runs()
    {
        using var directory = new TemporaryDirectory("buildtrust-image-");
        using var outside = new TemporaryDirectory("buildtrust-host-");
        File.WriteAllText(Path.Combine(outside.Path, "id_ed25519"), "host key\n");
        Directory.CreateDirectory(directory.Combine("tools"));
        var recipe = LoadRecipe(directory, "folders:\n  - from: tools\n    to: /opt/tools\n");
        Directory.Delete(directory.Combine("tools"));
        File.CreateSymbolicLink(directory.Combine("tools"), outside.Path);

        var error = Assert.Throws<ImageRecipeException>(() => ImageBuilder.Build(recipe, directory.Combine("image.tar"), _ => { }, CancellationToken.None));

        Assert.True(error.Message.StartsWith($"{directory.Combine("recipe.yaml")}:6:11: 'from': 'tools' goes through the symbolic link 'tools'", StringComparison.Ordinal), error.Message);
        Assert.False(File.Exists(directory.Combine("image.tar")));
    }

    [Fact]
    public async Task A_fifo_inside_a_recipe_folder_is_refused_instead_of_blocking_the_build()
    {
        using var directory = new TemporaryDirectory("buildtrust-image-");
        Directory.CreateDirectory(directory.Combine("tools"));
        var fifo = directory.Combine("tools", "pipe");
        ExternalProcess.Run("mkfifo", [fifo]).ThrowOnFailure();
        var recipe = LoadRecipe(directory, "folders:\n  - from: tools\n    to: /opt/tools\n");

        var build = Task.Run(() => ImageBuilder.Build(recipe, directory.Combine("image.tar"), _ => { }, CancellationToken.None));
        var finished = await Task.WhenAny(build, Task.Delay(TimeSpan.FromMinutes(1))) == build;
        if (!finished) using (File.OpenWrite(fifo)) { } // release the blocked reader: the build was stuck on the FIFO

        Assert.True(finished, "the build blocked on the FIFO");
        var error = await Assert.ThrowsAsync<ImageRecipeException>(() => build);
        Assert.Contains($"'{fifo}' is not a plain file, folder or symbolic link", error.Message);
    }
}
