using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// <c>compare</c> runs diffoscope on the first differing artifact of two builders: on files from an output folder that
/// may have been handed over by others. diffoscope must see the attested files and nothing else, and paths are never options.
/// </summary>
[Collection("engines")]
public sealed class CompareDiffoscopeTests : IDisposable
{
    private readonly ReleaseWorkspace workspace;
    private readonly TestRepository repository;
    private readonly TemporaryDirectory secrets = new("buildtrust-host-secret-");

    public CompareDiffoscopeTests()
    {
        workspace = new ReleaseWorkspace([("builder-a", TestEngines.A, []), ("builder-c", TestEngines.B, ["hostname"])],
            TestImages.CToolchainAsync().GetAwaiter().GetResult().Id, ["make", "-C", "samples/unreproducible"], ["/out/bin/**"], 2);
        repository = SampleRepository.Create("unreproducible", workspace.Maintainer);
    }

    public void Dispose()
    {
        workspace.Dispose();
        repository.Dispose();
        secrets.Dispose();
    }

    private void Build(string output) =>
        Assert.Equal(0, CliRun.Invoke(["build", "--repo", repository.Path, "--ref", "HEAD", "--out", output, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]).ExitCode);

    [EngineFact]
    public void An_artifact_folder_replaced_by_a_symbolic_link_to_a_host_folder_is_not_given_to_diffoscope()
    {
        using var output = new TemporaryDirectory("buildtrust-compare-");
        Build(output.Path);
        // Short enough that diffoscope's hex dump shows it on one line.
        File.WriteAllText(secrets.Combine("stamp"), "HOST-SECRET\n");
        var bin = output.Combine("builder-c", "artifacts", "bin");
        Directory.Delete(bin, recursive: true);
        Directory.CreateSymbolicLink(bin, secrets.Path);

        var compare = CliRun.Invoke("compare", "--policy", workspace.PolicyPath, output.Path);

        Assert.Equal(1, compare.ExitCode);
        Assert.DoesNotContain("HOST-SECRET", compare.Error);
        var report = output.Combine("diffoscope.txt");
        Assert.False(File.Exists(report) && File.ReadAllText(report).Contains("HOST-SECRET", StringComparison.Ordinal), "diffoscope read the host file");
        Assert.Contains("not diffed", compare.Error);
    }

    [EngineFact]
    public void An_output_folder_whose_relative_name_starts_with_a_dash_is_diffed_as_a_path_not_read_as_an_option()
    {
        var name = $"-compare-{Guid.NewGuid():N}";
        var absolute = Path.Combine(Environment.CurrentDirectory, name);
        try
        {
            Build(absolute);

            var compare = CliRun.Invoke("compare", "--policy", workspace.PolicyPath, "--", name);

            Assert.Equal(1, compare.ExitCode);
            Assert.Contains("diffoscope bin/stamp (builder-a vs builder-c)", compare.Error);
            Assert.Contains("built on buildtrust", File.ReadAllText(Path.Combine(absolute, "diffoscope.txt")));
        }
        finally
        {
            if (Directory.Exists(absolute)) Directory.Delete(absolute, recursive: true);
        }
    }
}
