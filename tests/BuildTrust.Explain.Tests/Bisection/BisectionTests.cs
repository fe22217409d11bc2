using BuildTrust.Explain.Tests.Samples;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Bisection;

/// <summary>Variation bisection and commit bisection on the real engines find the causes planted in small samples.</summary>
[Collection("engines")]
public sealed class BisectionTests
{
    [EngineFact]
    public async Task BisectVariations_NamesTheOneVariationThatReproducesTheMismatch()
    {
        var image = await TestImages.CToolchainAsync();
        using var build = new SampleBuild("unreproducible", image.Id, ["make", "-C", "samples/unreproducible"], ["timezone", "hostname", "user"]).Build();

        var (code, error) = SampleBuild.Cli("explain", "--policy", build.Workspace.PolicyPath, "--repo", build.Repository.Path, "--bisect-variations", build.Output);

        Assert.True(code == 1, error);
        Assert.Contains("variation hostname     REPRODUCES the mismatch (bin/stamp)", error, StringComparison.Ordinal);
        Assert.Contains("variation timezone     no difference", error, StringComparison.Ordinal);
        Assert.Contains("variation user         no difference", error, StringComparison.Ordinal);
        Assert.Contains("culprit variation(s): hostname", error, StringComparison.Ordinal);
        Assert.Contains("[hostname] the host name of builder-b-only-hostname (`builder-b-varied-host`) appears in `bin/stamp`", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BisectVariations_WithoutAPolicy_IsRefusedAsBadInput()
    {
        using var folder = new SignedBuildFolder(("builder-a", []), ("builder-b", ["hostname"]));
        folder.Build("builder-a", new Dictionary<string, byte[]> { ["x"] = [1] }).Build("builder-b", new Dictionary<string, byte[]> { ["x"] = [2] });

        var (code, error) = SampleBuild.Cli("explain", "--bisect-variations", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("--bisect-variations needs --policy", error, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [EngineFact]
    public async Task Bisect_FindsTheFirstCommitWhoseBuildIsNoLongerReproducible()
    {
        var image = await TestImages.CToolchainAsync();
        using var build = new SampleBuild("c-hello", image.Id, ["make", "-C", "samples/c-hello"], ["hostname", "timezone"]);
        var repository = build.Repository;
        var good = repository.Head;
        repository.CommitSignedBy(null, "docs: a README line", file: "samples/c-hello/README.md", content: "# c-hello\nmore\n");
        var makefile = File.ReadAllText(Path.Combine(repository.Path, "samples/c-hello/Makefile"));
        var breaking = repository.CommitSignedBy(null, "print the build host", file: "samples/c-hello/Makefile",
            content: makefile.Replace("-fno-ident", "-fno-ident -DBUILD_HOST=\"\\\"$$(hostname)\\\"\"", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(repository.Path, "samples/c-hello/hello.c"), File.ReadAllText(Path.Combine(repository.Path, "samples/c-hello/hello.c"))
            + "\n#ifdef BUILD_HOST\nconst char *build_host = BUILD_HOST;\n#endif\n");
        repository.Git("add", "-A");
        repository.Git("commit", "-q", "--amend", "--no-edit");
        breaking = repository.Head;
        repository.CommitSignedBy(null, "docs: another line", file: "samples/c-hello/README.md", content: "# c-hello\nmore\nand more\n");
        using var output = new TemporaryDirectory("buildtrust-bisect-");

        var (code, error) = SampleBuild.Cli("explain", "--policy", build.Workspace.PolicyPath, "--repo", repository.Path, "--bisect", $"{good}..HEAD", output.Path);

        Assert.True(code == 1, error);
        Assert.Contains($"first non-reproducible commit: {breaking} print the build host", error, StringComparison.Ordinal);
        Assert.Contains("[hostname] the host name of builder-b (`builder-b-varied-host`) appears in `bin/hello`", error, StringComparison.Ordinal);
    }

    [EngineFact]
    public async Task Bisect_WhenGoodIsNotReproducible_SaysSoInsteadOfGuessing()
    {
        var image = await TestImages.CToolchainAsync();
        using var build = new SampleBuild("unreproducible", image.Id, ["make", "-C", "samples/unreproducible"], ["hostname"]);
        var good = build.Repository.Head;
        build.Repository.CommitSignedBy(null, "docs", file: "samples/unreproducible/NOTES", content: "x\n");
        using var output = new TemporaryDirectory("buildtrust-bisect-");

        var (code, error) = SampleBuild.Cli("explain", "--policy", build.Workspace.PolicyPath, "--repo", build.Repository.Path, "--bisect", $"{good}..HEAD", output.Path);

        Assert.Equal(2, code);
        Assert.Contains("does not build reproducibly either", error, StringComparison.Ordinal);
    }
}
