using BuildTrust.Cli;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Samples;

/// <summary>
/// A sample folder of <c>samples/</c> committed in a repository and built by <c>buildtrust build</c> on the two test
/// engines: builder-a with no variation, then builder-b with the given ones (one after the other, so their clocks differ).
/// </summary>
internal sealed class SampleBuild : IDisposable
{
    public static readonly string[] ManyVariations = ["hostname", "user", "build-path", "timezone", "locale", "umask", "num-cpus"];

    private readonly TemporaryDirectory output = new("buildtrust-samples-");

    public SampleBuild(string sample, string imageId, string[] command, string[] variations)
    {
        Workspace = new ReleaseWorkspace([("builder-a", TestEngines.A, []), ("builder-b", TestEngines.B, variations)], imageId, command, ["/out/**"], 2);
        Repository = SampleRepository.Create(sample, Workspace.Maintainer);
    }

    public ReleaseWorkspace Workspace { get; }

    public TestRepository Repository { get; }

    public string Output => output.Path;

    public SampleBuild Build()
    {
        foreach (var builder in new[] { "builder-a", "builder-b" })
        {
            var (code, error) = Cli("build", "--repo", Repository.Path, "--ref", "HEAD", "--out", Output, "--policy", Workspace.PolicyPath, "--builder", builder,
                "--builder-key", $"{builder}={Workspace.BuilderKey(builder)}");
            Assert.True(code == 0, error);
        }
        return this;
    }

    public static (int Code, string Error) Cli(params string[] args)
    {
        var error = new StringWriter();
        var code = CliApp.RunAsync(args, new CliTerminal(new StringWriter(), error)).GetAwaiter().GetResult();
        return (code, error.ToString());
    }

    public void Dispose()
    {
        Workspace.Dispose();
        Repository.Dispose();
        output.Dispose();
    }
}
