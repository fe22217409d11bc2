using System.Text.Json;
using System.Xml.Linq;
using BuildTrust.Testing.Containers;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Git;

/// <summary>The libgit2 BuildTrust calls directly is the one the pinned LibGit2Sharp.NativeBinaries package ships.</summary>
public sealed class NativeLibraryTests
{
    [Fact]
    public void The_library_name_in_the_binding_is_the_file_of_the_pinned_and_restored_native_package()
    {
        var pinned = XDocument.Load(Path.Combine(TestImages.RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "LibGit2Sharp.NativeBinaries").Attribute("Version")!.Value;
        using var assets = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestImages.RepositoryRoot, "verifiers", "BuildTrust.Verifiers", "obj", "project.assets.json")));
        var restored = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Single(l => l.Name.StartsWith("LibGit2Sharp.NativeBinaries/", StringComparison.Ordinal)).Name.Split('/')[1];
        var packages = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;

        Assert.Equal(pinned, restored);
        Assert.True(File.Exists(Path.Combine(packages, "libgit2sharp.nativebinaries", restored, "runtimes", "linux-x64", "native", $"{LibGit2.Library}.so")),
            $"the pinned package {restored} has no {LibGit2.Library}.so: update LibGit2.Library");
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", $"{LibGit2.Library}.so")));
    }

    [Fact]
    public void The_binding_loads_and_opens_a_repository()
    {
        using var repository = BuildTrust.Testing.Git.TestRepository.Create();
        repository.CommitSignedBy(null, "one");

        using var source = GitCommitSource.Open(repository.Path);

        Assert.Equal(repository.Head, source.Resolve("HEAD"));
    }
}
