using System.IO.Compression;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// The installed tool is the product: the package built from build/BuildTrust.Cli, installed with <c>dotnet tool install</c>
/// into a fresh tool path, run from a folder outside the checkout. What a user installs, not what runs inside the repository.
/// </summary>
[Collection("engines")]
public sealed class InstalledToolTests : IClassFixture<InstalledToolTests.PackedTool>
{
    private readonly PackedTool _tool;

    public InstalledToolTests(PackedTool tool) => _tool = tool;

    [Fact]
    public void The_package_holds_the_product_only_no_test_assembly_nor_test_framework()
    {
        using var package = ZipFile.OpenRead(_tool.Package);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        var deps = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith("/buildtrust.deps.json", StringComparison.Ordinal)).Open()).ReadToEnd();

        Assert.Contains(entries, e => e.EndsWith("/BuildTrust.Demo.dll", StringComparison.Ordinal));
        foreach (var forbidden in new[] { "BuildTrust.Testing", "xunit", "Microsoft.TestPlatform", "testhost", "Microsoft.NET.Test.Sdk" })
        {
            Assert.DoesNotContain(entries, e => e.Contains(forbidden, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(forbidden, deps, StringComparison.OrdinalIgnoreCase);
        }
    }

    [EngineFact]
    public void The_installed_tool_runs_the_demo_end_to_end_in_an_empty_folder_outside_the_checkout()
    {
        using var empty = new TemporaryDirectory("buildtrust-user-");

        var run = ExternalProcess.Run(_tool.Command, ["demo", "--out", empty.Combine("demo"), "--engine", TestEngines.A.ToString(), "--engine", TestEngines.B.ToString()],
            empty.Path, timeout: TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("Demo complete", run.StandardError);
        Assert.Contains("RELEASED main", run.StandardError);
    }

    [Fact]
    public void The_installed_tool_explains_itself_and_fails_cleanly_on_bad_input()
    {
        using var empty = new TemporaryDirectory("buildtrust-user-");

        var help = ExternalProcess.Run(_tool.Command, ["--help"], empty.Path);
        var bad = ExternalProcess.Run(_tool.Command, ["verify-commits", "--repo", empty.Path, "HEAD"], empty.Path);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("verify-commits", help.StandardOutput);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not inside a git repository", bad.StandardError);
        Assert.DoesNotContain("   at ", bad.StandardError);
    }

    /// <summary>Packs the CLI as a .NET tool (from the Release build the test command made) and installs it into a fresh tool path.</summary>
    public sealed class PackedTool : IDisposable
    {
        private readonly TemporaryDirectory _directory = new("buildtrust-tool-");

        public PackedTool()
        {
            var project = Path.Combine(TestImages.RepositoryRoot, "build", "BuildTrust.Cli", "BuildTrust.Cli.csproj");
            var feed = _directory.Combine("feed");
            ExternalProcess.Run("dotnet", ["pack", project, "-c", "Release", "--no-build", "-o", feed, "-nologo"], timeout: TimeSpan.FromMinutes(5)).ThrowOnFailure();
            Package = Directory.EnumerateFiles(feed, "BuildTrust.*.nupkg").Single();
            var tools = _directory.Combine("tools");
            ExternalProcess.Run("dotnet", ["tool", "install", "BuildTrust", "--tool-path", tools, "--add-source", feed, "--ignore-failed-sources"],
                _directory.Path, timeout: TimeSpan.FromMinutes(5)).ThrowOnFailure();
            Command = Path.Combine(tools, "buildtrust");
        }

        public string Package { get; }

        /// <summary>The installed <c>buildtrust</c> command.</summary>
        public string Command { get; }

        public void Dispose() => _directory.Dispose();
    }
}
