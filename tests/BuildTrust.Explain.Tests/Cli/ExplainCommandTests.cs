using BuildTrust.Explain.Tests.Samples;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Cli;

/// <summary><c>buildtrust explain</c> on build folders handed over by others: exit codes, and nothing read or written outside what is attested.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private readonly SignedBuildFolder folder = new(("builder-a", []), ("builder-b", ["hostname"]));

    public void Dispose() => folder.Dispose();

    private SignedBuildFolder Differing() => folder
        .Build("builder-a", new Dictionary<string, byte[]> { ["bin/INFO"] = "built on buildtrust\n"u8.ToArray(), ["bin/same"] = [1, 2, 3] })
        .Build("builder-b", new Dictionary<string, byte[]> { ["bin/INFO"] = "built on builder-b-varied-host\n"u8.ToArray(), ["bin/same"] = [1, 2, 3] });

    [Fact]
    public void Explain_WhenBuildersAgree_SaysNoDifferenceAndExitsZero()
    {
        var same = new Dictionary<string, byte[]> { ["bin/INFO"] = "same\n"u8.ToArray() };
        folder.Build("builder-a", same).Build("builder-b", same);

        var (code, error) = SampleBuild.Cli("explain", "--policy", folder.Workspace.PolicyPath, folder.Path);

        Assert.True(code == 0, error);
        Assert.Contains("no difference", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WithAPolicy_VerifiesTheProvenanceAndRanksTheCause_AndJsonCarriesTheSameCauses()
    {
        Differing();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await BuildTrust.Cli.CliApp.RunAsync(["explain", "--policy", folder.Workspace.PolicyPath, "--json", folder.Path], new BuildTrust.Cli.CliTerminal(stdout, stderr));

        Assert.True(code == 1, stderr.ToString());
        Assert.Contains("provenance verified", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("1. [hostname] the host name of builder-b (`builder-b-varied-host`) appears in `bin/INFO` (text, line 1)", stderr.ToString(), StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(stdout.ToString());
        Assert.Equal("hostname", json.RootElement.GetProperty("causes")[0].GetProperty("id").GetString());
        Assert.Equal("text-lines", json.RootElement.GetProperty("artifacts")[0].GetProperty("differences")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void Explain_WithThreeBuilders_NamesTheVariationSharedOnlyByTheBuildersThatDiffer()
    {
        using var three = new SignedBuildFolder(("builder-a", []), ("builder-b", ["hostname", "timezone"]), ("builder-c", ["timezone"]));
        three.Build("builder-a", new Dictionary<string, byte[]> { ["bin/data"] = [0, 1, 2, 3] })
            .Build("builder-b", new Dictionary<string, byte[]> { ["bin/data"] = [0, 1, 9, 3] })
            .Build("builder-c", new Dictionary<string, byte[]> { ["bin/data"] = [0, 1, 2, 3] });

        var (code, error) = SampleBuild.Cli("explain", "--policy", three.Workspace.PolicyPath, three.Path);

        Assert.Equal(1, code);
        Assert.Contains("1. [variation] `bin/data` differs from builder-a's in exactly the builders that vary `hostname` (builder-b) and in none of those that do not (builder-c)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_WithoutAPolicy_SaysTheProvenanceIsNotVerified()
    {
        Differing();

        var (code, error) = SampleBuild.Cli("explain", folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("provenance NOT verified", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_WithAnotherPolicysKeys_RefusesTheProvenanceAndComparesNothingItClaims()
    {
        Differing();
        using var other = new SignedBuildFolder(("builder-a", []), ("builder-b", []));

        var (code, error) = SampleBuild.Cli("explain", "--policy", other.Workspace.PolicyPath, folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("provenance refused", error, StringComparison.Ordinal);
        Assert.Contains("NOT COMPARED", error, StringComparison.Ordinal);
        Assert.DoesNotContain("[hostname]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AnArtifactsFolderReplacedByALinkToAHostFolder_IsNotRead()
    {
        Differing();
        using var secrets = new TemporaryDirectory("buildtrust-host-secret-");
        File.WriteAllText(secrets.Combine("INFO"), "HOST-SECRET\n");
        Directory.Delete(folder.Combine("builder-b", "artifacts", "bin"), recursive: true);
        Directory.CreateSymbolicLink(folder.Combine("builder-b", "artifacts", "bin"), secrets.Path);

        var (_, error) = SampleBuild.Cli("explain", "--policy", folder.Workspace.PolicyPath, folder.Path);

        Assert.DoesNotContain("HOST-SECRET", error, StringComparison.Ordinal);
        Assert.DoesNotContain("HOST-SECRET", File.ReadAllText(folder.Combine("explain.html")), StringComparison.Ordinal);
        Assert.Contains("not compared", error + File.ReadAllText(folder.Combine("explain.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AnArtifactThatDoesNotHashToItsAttestedDigest_IsNotCompared()
    {
        Differing();
        File.WriteAllText(folder.Combine("builder-b", "artifacts", "bin", "INFO"), "swapped after the build\n");

        var (code, error) = SampleBuild.Cli("explain", "--policy", folder.Workspace.PolicyPath, folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("[not-compared] `bin/INFO` differs", error, StringComparison.Ordinal);
        Assert.Contains("does not hash to the attested", error, StringComparison.Ordinal);
        Assert.DoesNotContain("swapped", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_TheHtmlReportPlacedWhereALinkWasPlanted_ReplacesTheLinkNotItsTarget()
    {
        Differing();
        using var outside = new TemporaryDirectory("buildtrust-victim-");
        File.WriteAllText(outside.Combine("victim"), "must stay");
        File.CreateSymbolicLink(folder.Combine("explain.html"), outside.Combine("victim"));

        SampleBuild.Cli("explain", "--policy", folder.Workspace.PolicyPath, folder.Path);

        Assert.Equal("must stay", File.ReadAllText(outside.Combine("victim")));
        Assert.Null(new FileInfo(folder.Combine("explain.html")).LinkTarget);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(folder.Combine("explain.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AnHtmlPathThatIsADevice_IsRefusedAndLeftAlone()
    {
        Differing();

        var (code, error) = SampleBuild.Cli("explain", "--html", "/dev/null", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("/dev/null: is a character device", error, StringComparison.Ordinal);
        Assert.Equal(BuildTrust.Verifiers.Files.FileKind.CharacterDevice, BuildTrust.Verifiers.Files.FileKinds.Of("/dev/null"));
    }

    [Fact]
    public void Explain_WithoutProvenance_ComparesTheFoldersAsFoundAndSaysSo()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder.Combine("x", "artifacts")).FullName, "f.txt"), "one\n");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(folder.Combine("y", "artifacts")).FullName, "f.txt"), "two\n");

        var (code, error) = SampleBuild.Cli("explain", folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("no provenance found", error, StringComparison.Ordinal);
        Assert.Contains("[unexplained] `f.txt:1` differs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_OfAFolderThatDoesNotExist_IsBadInput()
    {
        var (code, error) = SampleBuild.Cli("explain", folder.Combine("nowhere"));

        Assert.Equal(2, code);
        Assert.Contains("no such folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_WithAnUnusableCap_IsBadInput()
    {
        Assert.Equal(2, SampleBuild.Cli("explain", "--max-file-mib", "0", folder.Path).Code);
        Assert.Equal(2, SampleBuild.Cli("explain", "--timeout", "0", folder.Path).Code);
        Assert.Equal(2, SampleBuild.Cli("explain", "--bisect", "-x..y", "--policy", folder.Workspace.PolicyPath, folder.Path).Code);
    }
}
