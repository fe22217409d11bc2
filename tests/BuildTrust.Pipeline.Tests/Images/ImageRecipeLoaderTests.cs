using BuildTrust.Pipeline.Images;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Images;

public sealed class ImageRecipeLoaderTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-recipe-");

    public void Dispose() => directory.Dispose();

    private ImageRecipe Load(string yaml)
    {
        var path = directory.Combine("recipe.yaml");
        File.WriteAllText(path, yaml);
        return ImageRecipeLoader.Load(path);
    }

    [Fact]
    public void The_shipped_recipes_load()
    {
        foreach (var name in new[] { "c-toolchain.yaml", "dotnet-sdk.yaml" })
        {
            var recipe = ImageRecipeLoader.Load(Path.Combine(TestImages.RepositoryRoot, "images", name));
            Assert.Equal(1700000000, recipe.SourceDateEpoch);
            Assert.Equal("bookworm", recipe.Suite);
        }
    }

    [Theory]
    [InlineData("name: x\nsuite: bookworm\n", "'source-date-epoch' is required")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: 1\ncolour: red\n", "unknown key 'colour'")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: soon\n", "number of seconds")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: 1\npackages: [\"gcc; rm -rf /\"]\n", "is not allowed here")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: 1\npackages: [--option]\n", "is not allowed here")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: 1\nfolders:\n  - from: /usr\n    to: relative\n", "absolute path")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: 1\nenv:\n  \"A B\": c\n", "is not allowed here")]
    [InlineData("[unclosed", "recipe.yaml:")]
    public void Bad_recipes_are_refused_with_the_line(string yaml, string expected)
    {
        var error = Assert.Throws<ImageRecipeException>(() => Load(yaml));
        Assert.Contains(expected, error.Message);
        Assert.Contains("recipe.yaml", error.Message);
    }
}
