using System.Formats.Tar;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// <c>buildtrust image build</c> runs as root on the host: a recipe is hostile input. These pin issue #15's attacks
/// (a recipe field read as an mmdebstrap option, a host folder copied into the image) end to end through the CLI.
/// </summary>
public sealed class ImageCommandTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-image-cli-");

    public void Dispose() => directory.Dispose();

    private string Recipes => Directory.CreateDirectory(directory.Combine("recipes")).FullName;

    private string Archive => directory.Combine("image.tar");

    private string WriteRecipe(string body)
    {
        var path = Path.Combine(Recipes, "recipe.yaml");
        File.WriteAllText(path, "name: buildtrust-test/hostile\nsuite: bookworm\nsource-date-epoch: 1700000000\n" + body);
        return path;
    }

    private CliRun Build(string recipe) => CliRun.Invoke("image", "build", recipe, "--out", Archive, "--no-load");

    [Fact]
    public void A_mirror_that_is_an_mmdebstrap_option_is_refused_before_mmdebstrap_runs_and_no_hook_runs()
    {
        var marker = directory.Combine("setup-hook-ran");
        var recipe = WriteRecipe($"mirror: \"--setup-hook=id > {marker}; false\"\n");

        var run = Build(recipe);

        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(marker), "mmdebstrap ran the recipe's setup hook as root");
        Assert.Contains($"{recipe}:4:9: 'mirror'", run.Error);
        Assert.DoesNotContain("mmdebstrap failed", run.Error);
        Assert.False(File.Exists(Archive));
    }

    /// <summary>A host folder standing in for <c>/root/.ssh</c>, outside the recipe's folder.</summary>
    private string HostSecrets()
    {
        var secrets = Directory.CreateDirectory(directory.Combine("root-ssh")).FullName;
        File.WriteAllText(Path.Combine(secrets, "id_ed25519"), "PRIVATE KEY THAT MUST NOT LEAVE THE HOST\n");
        return secrets;
    }

    [Theory]
    [InlineData("absolute")]
    [InlineData("dot-dot")]
    [InlineData("symbolic-link")]
    public void A_folder_from_outside_the_recipe_folder_is_refused_with_the_file_line_and_field_and_nothing_is_copied(string how)
    {
        var secrets = HostSecrets();
        var from = how switch
        {
            "absolute" => secrets,
            "dot-dot" => "../root-ssh",
            _ => "keys",
        };
        if (how == "symbolic-link") File.CreateSymbolicLink(Path.Combine(Recipes, "keys"), secrets);
        var recipe = WriteRecipe($"folders:\n  - from: {from}\n    to: /root/.ssh\n");

        var run = Build(recipe);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{recipe}:5:11: 'from'", run.Error);
        Assert.DoesNotContain("mmdebstrap", run.Error);
        Assert.False(File.Exists(Archive) && ArchiveMentions(Archive, "id_ed25519"), "the host folder was copied into the image");
    }

    private static bool ArchiveMentions(string archive, string name)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.EndsWith("layer.tar", StringComparison.Ordinal) && entry.DataStream is { } layer)
            {
                using var inner = new TarReader(layer);
                while (inner.GetNextEntry() is { } file)
                    if (file.Name.EndsWith(name, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }
}
