using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Images;

public sealed class ImageRecipeLoaderTests : IDisposable
{
    private const string Header = "name: x\nsuite: bookworm\nsource-date-epoch: 1\n";
    private readonly TemporaryDirectory directory = new("buildtrust-recipe-");

    public void Dispose() => directory.Dispose();

    private string RecipePath => directory.Combine("recipe.yaml");

    private ImageRecipe Load(string yaml)
    {
        File.WriteAllText(RecipePath, yaml);
        return ImageRecipeLoader.Load(RecipePath);
    }

    private ImageRecipeException Refused(string yaml) => Assert.Throws<ImageRecipeException>(() => Load(yaml));

    [Fact]
    public void The_shipped_c_recipe_loads()
    {
        var recipe = ImageRecipeLoader.Load(Path.Combine(TestImages.RepositoryRoot, "images", "c-toolchain.yaml"));
        Assert.Equal(1700000000, recipe.SourceDateEpoch);
        Assert.Equal("bookworm", recipe.Suite);
        Assert.Equal(["gcc", "libc6-dev", "make"], recipe.Packages);
    }

    [Fact]
    public void The_shipped_dotnet_recipe_loads_once_the_sdk_is_beside_it_and_names_its_line_until_then()
    {
        File.Copy(Path.Combine(TestImages.RepositoryRoot, "images", "dotnet-sdk.yaml"), RecipePath);
        var missing = Assert.Throws<ImageRecipeException>(() => ImageRecipeLoader.Load(RecipePath));
        Assert.Contains($"{RecipePath}:14:11: 'from': 'dotnet-sdk' is not a folder inside the recipe's folder", missing.Message);

        Directory.CreateDirectory(directory.Combine("dotnet-sdk"));
        var recipe = ImageRecipeLoader.Load(RecipePath);

        var folder = Assert.Single(recipe.Folders);
        Assert.Equal(directory.Combine("dotnet-sdk"), folder.FullPath);
        Assert.Equal("/usr/share/dotnet", folder.To);
        Assert.Equal(["shared/Microsoft.AspNetCore.App"], folder.Exclude);
    }

    [Fact]
    public void A_folder_inside_the_recipe_folder_is_resolved_against_the_recipe_folder_not_the_current_directory()
    {
        Directory.CreateDirectory(directory.Combine("tools", "bin"));
        var recipe = Load(Header + "folders:\n  - from: tools/bin\n    to: /opt/tools\n");

        Assert.Equal(directory.Combine("tools", "bin"), Assert.Single(recipe.Folders).FullPath);
    }

    [Theory]
    [InlineData("/etc", "is not a path relative to the recipe's folder")]
    [InlineData("../outside", "is not a path relative to the recipe's folder")]
    [InlineData("tools/../../outside", "is not a path relative to the recipe's folder")]
    [InlineData("./tools", "is not a path relative to the recipe's folder")]
    [InlineData("linked", "goes through the symbolic link 'linked'")]
    [InlineData("linked/bin", "goes through the symbolic link 'linked'")]
    [InlineData("inner-link", "goes through the symbolic link 'inner-link'")]
    [InlineData("absent", "is not a folder inside the recipe's folder")]
    public void A_folder_from_outside_the_recipe_folder_is_refused_with_the_line_and_field(string from, string expected)
    {
        using var outside = new TemporaryDirectory("buildtrust-outside-");
        Directory.CreateDirectory(Path.Combine(outside.Path, "bin"));
        Directory.CreateDirectory(directory.Combine("tools"));
        File.CreateSymbolicLink(directory.Combine("linked"), outside.Path);
        File.CreateSymbolicLink(directory.Combine("inner-link"), "tools"); // even a link that stays inside: none is followed

        var error = Refused(Header + $"folders:\n  - from: {from}\n    to: /opt/tools\n");

        Assert.Contains($"{RecipePath}:5:11: 'from': ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    // mirror: scheme allow-list, no options, no sources.list syntax, no shell characters, no credentials
    [InlineData("mirror", "\"--setup-hook=id > /tmp/x; false\"", "4:9: 'mirror'")]
    [InlineData("mirror", "\"-\"", "4:9: 'mirror'")]
    [InlineData("mirror", "/etc/apt/sources.list", "4:9: 'mirror'")]
    [InlineData("mirror", "\"deb [trusted=yes] http://evil.example/ bookworm main\"", "4:9: 'mirror'")]
    [InlineData("mirror", "\"http://deb.debian.org/debian bookworm main\"", "4:9: 'mirror'")]
    [InlineData("mirror", "\"http://deb.debian.org/debian\\n\"", "4:9: 'mirror'")]
    [InlineData("mirror", "\"http://deb.debian.org/debian;id\"", "4:9: 'mirror'")]
    [InlineData("mirror", "\"http://deb.debian.org/$(id)\"", "4:9: 'mirror'")]
    [InlineData("mirror", "http://user:secret@deb.debian.org/debian", "4:9: 'mirror'")]
    [InlineData("mirror", "ftp://deb.debian.org/debian", "4:9: 'mirror'")]
    [InlineData("mirror", "mirror+file:///etc/apt/mirrors.txt", "4:9: 'mirror'")]
    [InlineData("mirror", "file://host/debian", "4:9: 'mirror'")]
    [InlineData("mirror", "\"http://-x/debian\"", "4:9: 'mirror'")]
    // suite, variant, packages: their Debian and mmdebstrap grammar
    [InlineData("suite", "--help", "2:8: 'suite'")]
    [InlineData("suite", "\"bookworm\\n\"", "2:8: 'suite'")]
    [InlineData("suite", "\"bookworm main\"", "2:8: 'suite'")]
    [InlineData("suite", "Bookworm", "2:8: 'suite'")]
    [InlineData("variant", "--customize-hook=id", "4:10: 'variant'")]
    [InlineData("variant", "fancy", "4:10: 'variant': 'fancy' is not one of mmdebstrap's variants")]
    [InlineData("variant", "\"-\"", "4:10: 'variant'")]
    [InlineData("packages", "[\"gcc; rm -rf /\"]", "4:12: 'packages'")]
    [InlineData("packages", "[--option]", "4:12: 'packages'")]
    [InlineData("packages", "[g]", "4:12: 'packages'")]
    [InlineData("packages", "[Gcc]", "4:12: 'packages'")]
    [InlineData("packages", "[\"gcc,make\"]", "4:12: 'packages'")]
    [InlineData("packages", "[./evil.deb]", "4:12: 'packages'")]
    [InlineData("packages", "[\"gcc\\n\"]", "4:12: 'packages'")]
    [InlineData("packages", "[gcc=--x]", "4:12: 'packages'")]
    [InlineData("packages", "[gcc=a1]", "4:12: 'packages'")]
    [InlineData("packages", "[gcc, make, gcc]", "4:23: 'packages': 'gcc' is listed twice")]
    [InlineData("name", "\"x\\n\"", "1:7: 'name'")]
    [InlineData("name", "-x", "1:7: 'name'")]
    [InlineData("name", "a..b", "1:7: 'name'")]
    [InlineData("name", "A", "1:7: 'name'")]
    [InlineData("source-date-epoch", "99999999999999", "3:20: 'source-date-epoch' must be a number of seconds from 0 to 253402300799")]
    [InlineData("source-date-epoch", "-1", "3:20: 'source-date-epoch'")]
    // folder targets and exclusions
    [InlineData("folders", "\n  - from: tools\n    to: relative", "6:9: 'to'")]
    [InlineData("folders", "\n  - from: tools\n    to: /", "6:9: 'to'")]
    [InlineData("folders", "\n  - from: tools\n    to: /opt/../etc", "6:9: 'to'")]
    [InlineData("folders", "\n  - from: tools\n    to: /opt//x", "6:9: 'to'")]
    [InlineData("folders", "\n  - from: tools\n    to: \"/opt/x\\n\"", "6:9: 'to'")]
    [InlineData("folders", "\n  - from: tools\n    to: /out/bin", "6:9: 'to': '/out/bin' is under /out, which the builder mounts itself")]
    [InlineData("folders", "\n  - from: tools\n    to: /src", "6:9: 'to': '/src' is under /src")]
    [InlineData("folders", "\n  - from: tools\n    to: /build/x", "6:9: 'to': '/build/x' is under /build")]
    [InlineData("folders", "\n  - from: tools\n    to: /opt\n  - from: tools\n    to: /opt/tools", "8:9: 'to': '/opt/tools' overlaps '/opt' (")]
    [InlineData("folders", "\n  - from: tools\n    to: /opt\n    exclude: [../x]", "7:15: 'exclude'")]
    [InlineData("folders", "\n  - from: tools\n    to: /opt\n    owner: root", "7:5: unknown key 'owner'")]
    [InlineData("folders", "\n  - from: tools\n    from: tools\n    to: /opt", "6:5: malformed YAML: Duplicate key from")]
    // env: names and values
    [InlineData("env", "\n  \"A B\": c", "5:3: 'env'")]
    [InlineData("env", "\n  1A: c", "5:3: 'env'")]
    [InlineData("env", "\n  A: \"line\\nnext\"", "5:6: 'env': the value of 'A' must be at most 4096 characters without control characters")]
    [InlineData("env", "\n  A: \"\\e]0;title\\a\"", "5:6: 'env'")]
    [InlineData("env", "\n  A: [1]", "5:6: 'env': 'A' must be a string")]
    public void A_value_outside_its_grammar_is_refused_with_the_line_column_and_field(string key, string value, string expected)
    {
        Directory.CreateDirectory(directory.Combine("tools"));

        var error = Refused(Recipe(key, value));

        Assert.True(error.Message.Contains($"{RecipePath}:{expected}", StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData("suite: trixie", "4:1: malformed YAML: Duplicate key suite")]
    [InlineData("colour: red", "4:1: unknown key 'colour'")]
    [InlineData("? [a]\n: b", "4:3: a key must be a plain string")]
    public void A_key_given_twice_unknown_or_not_a_string_is_refused_with_the_line(string yaml, string expected)
    {
        var error = Refused(Header + yaml + "\n");

        Assert.True(error.Message.Contains($"{RecipePath}:{expected}", StringComparison.Ordinal), error.Message);
    }

    /// <summary>name (line 1), suite (2), source-date-epoch (3), with <paramref name="key"/> replacing one of them or added on line 4.</summary>
    [Fact]
    public void A_recipe_that_is_not_valid_utf8_is_refused_not_decoded_lossily_as_policies_are()
    {
        var path = directory.Combine("bad.yaml");
        File.WriteAllBytes(path, [.. "name: a\nsuite: bookworm\nsource-date-epoch: 1\nmirror: \"http://x/"u8, 0xff, .. "\"\n"u8]);

        var error = Assert.Throws<ImageRecipeException>(() => ImageRecipeLoader.Load(path));

        Assert.Contains("not valid UTF-8", error.Message);
    }

    private static string Recipe(string key, string value)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = "x", ["suite"] = "bookworm", ["source-date-epoch"] = "1" };
        fields[key] = value;
        return string.Concat(fields.Select(field => $"{field.Key}: {field.Value}\n"));
    }

    [Theory]
    [InlineData("mirror", "http://deb.debian.org/debian")]
    [InlineData("mirror", "https://deb.debian.org/debian/")]
    [InlineData("mirror", "http://snapshot.debian.org/archive/debian/20231101T000000Z")]
    [InlineData("mirror", "http://127.0.0.1:3142/debian")]
    [InlineData("mirror", "file:///srv/mirror/debian")]
    [InlineData("suite", "bookworm-backports")]
    [InlineData("variant", "apt")]
    [InlineData("variant", "buildd")]
    [InlineData("packages", "[libstdc++6, g++-12, python3.11, libc6-dev=2.36-9+deb12u4, gcc=4:12.2.0-3, ca-certificates]")]
    [InlineData("name", "registry_name/with__parts/and--dashes.x")]
    [InlineData("source-date-epoch", "253402300799")]
    [InlineData("folders", "\n  - from: tools\n    to: /opt/tools/.hidden\n    exclude: [cache/tmp, .git]")]
    [InlineData("env", "\n  PATH: /usr/share/dotnet:/usr/bin\n  EMPTY: \"\"\n  QUOTED: \"a 'b' $c\"")]
    public void A_value_inside_its_grammar_loads(string key, string value)
    {
        Directory.CreateDirectory(directory.Combine("tools"));

        var recipe = Load(Recipe(key, value));

        object loaded = key switch
        {
            "mirror" => recipe.Mirror,
            "suite" => recipe.Suite,
            "variant" => recipe.Variant,
            "name" => recipe.Name,
            "source-date-epoch" => recipe.SourceDateEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "packages" => $"[{string.Join(", ", recipe.Packages)}]",
            "folders" => $"\n  - from: {recipe.Folders[0].From}\n    to: {recipe.Folders[0].To}\n    exclude: [{string.Join(", ", recipe.Folders[0].Exclude)}]",
            _ => string.Concat(recipe.Environment.Select(pair => $"\n  {pair.Key}: {(pair.Key == "PATH" ? pair.Value : $"\"{pair.Value}\"")}")),
        };
        Assert.Equal(value, loaded);
    }

    [Theory]
    [InlineData("[unclosed", "recipe.yaml:")]
    [InlineData("name: x\nsuite: bookworm\n", "'source-date-epoch' is required")]
    [InlineData("name: x\nsuite: bookworm\nsource-date-epoch: soon\n", "number of seconds")]
    public void A_malformed_recipe_is_refused_with_the_file(string yaml, string expected)
    {
        var error = Refused(yaml);
        Assert.Contains(expected, error.Message);
        Assert.Contains("recipe.yaml", error.Message);
    }

    [Fact]
    public void A_recipe_larger_than_a_mebibyte_is_refused_once_the_cap_is_passed()
    {
        var error = Refused(Header + "# " + new string('x', 1 << 20) + "\n");
        Assert.Contains("larger than the 1048576 bytes accepted", error.Message);
    }

    [Fact]
    public void A_recipe_path_that_is_a_fifo_is_refused_without_blocking()
    {
        var fifo = directory.Combine("recipe.fifo");
        ExternalProcess.Run("mkfifo", [fifo]).ThrowOnFailure();

        var error = Assert.Throws<ImageRecipeException>(() => ImageRecipeLoader.Load(fifo));

        Assert.Contains("is a FIFO (named pipe), not a regular file", error.Message);
    }
}
