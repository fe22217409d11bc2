using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Cli.Tests;

[Collection("engines")]
public sealed class BuildCommandTests
{
    internal static ReleaseWorkspace Workspace(string image, int quorum = 2, string sample = "c-hello") => new(
        [("builder-a", TestEngines.A, []), ("builder-b", TestEngines.B, ["timezone", "locale", "umask", "hostname", "user", "build-path", "num-cpus"])],
        image, Command(sample), [sample == "dotnet-hello" ? "/out/app/**" : "/out/bin/**"], quorum);

    internal static string[] Command(string sample) => sample == "dotnet-hello"
        ? ["dotnet", "publish", "samples/dotnet-hello", "-c", "Release", "-o", "/out/app"]
        : ["make", "-C", $"samples/{sample}"];

    [EngineFact]
    public Task Build_of_the_c_sample_gives_two_matching_provenance_bundles_that_verify_with_each_builders_key_and_sigstore_js() =>
        BuildsMatchingVerifiableProvenanceAsync("c-hello");

    [EngineFact]
    public Task Build_of_the_dotnet_sample_gives_two_matching_provenance_bundles_that_verify_with_each_builders_key_and_sigstore_js() =>
        BuildsMatchingVerifiableProvenanceAsync("dotnet-hello");

    private static async Task BuildsMatchingVerifiableProvenanceAsync(string sample)
    {
        var image = sample == "dotnet-hello" ? await TestImages.DotnetSdkAsync() : await TestImages.CToolchainAsync();
        using var workspace = Workspace(image.Id, sample: sample);
        using var repository = SampleRepository.Create(sample);
        using var output = new TemporaryDirectory("buildtrust-out-");

        var run = CliRun.Invoke(["build", "--repo", repository.Path, "--ref", "HEAD", "--out", output.Path, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]);

        Assert.True(run.ExitCode == 0, run.Error);
        var policy = PolicyLoader.Load(workspace.PolicyPath);
        var subjects = new List<IReadOnlyList<StatementSubject>>();
        foreach (var builder in policy.Builders)
        {
            var bundlePath = Path.Combine(output.Path, builder.Id, "provenance.sigstore.json");
            var check = BundleVerifier.VerifyDsse(File.ReadAllBytes(bundlePath), bundlePath, builder.PublicKeyDer, Dsse.InTotoPayloadType);
            Assert.True(check.Verified, check.Message);
            var claims = InTotoStatements.ReadProvenance(check.Payload!, bundlePath);
            Assert.Equal(builder.Id, claims.BuilderId);
            Assert.Equal(repository.Head, claims.SourceCommit);
            Assert.Equal(policy.Build!.Digest(), claims.RecipeDigest);
            Assert.Equal(image.Id, claims.ImageDigest);
            foreach (var subject in claims.Subjects)
            {
                Assert.Equal(subject.Sha256, BuildTrust.Verifiers.Artifacts.ArtifactHasher.HashFile(Path.Combine(output.Path, builder.Id, "artifacts", subject.Name)));
            }
            subjects.Add(claims.Subjects);
            // sigstore-js is installed by the test command; a missing one fails here, loudly, never skips the outside check.
            var js = SigstoreJs.Verify(bundlePath, workspace.BuilderPublicKeyPem(builder.Id), payloadType: Dsse.InTotoPayloadType,
                subjects: [.. claims.Subjects.Select(s => $"{s.Name}={s.Sha256}")]);
            Assert.True(js.ExitCode == 0, js.StandardError);
            Assert.NotEqual(0, SigstoreJs.Verify(bundlePath, workspace.BuilderPublicKeyPem(builder.Id == "builder-a" ? "builder-b" : "builder-a")).ExitCode);
        }
        Assert.Equal(subjects[0], subjects[1]);
        Assert.Contains("every builder finished", run.Error);
    }

    [EngineFact]
    public async Task A_builder_key_that_is_not_the_policys_is_refused_before_anything_runs()
    {
        var image = await TestImages.CToolchainAsync();
        using var workspace = Workspace(image.Id);
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");

        var run = CliRun.Invoke("build", "--repo", repository.Path, "--ref", "HEAD", "--out", output.Path, "--policy", workspace.PolicyPath,
            "--builder-key", $"builder-a={workspace.BuilderKey("builder-b")}", "--builder-key", $"builder-b={workspace.BuilderKey("builder-b")}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not builder 'builder-a''s key", run.Error);
        Assert.False(Directory.Exists(Path.Combine(output.Path, "builder-a")));
    }

    [EngineFact]
    public void A_tag_only_image_is_refused_before_anything_runs()
    {
        using var workspace = Workspace("buildtrust/c-toolchain:latest");
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");

        var run = CliRun.Invoke(["build", "--repo", repository.Path, "--ref", "HEAD", "--out", output.Path, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("names an image by tag", run.Error);
    }

    [EngineFact]
    public async Task A_failing_build_exits_1_and_writes_no_provenance()
    {
        var image = await TestImages.CToolchainAsync();
        using var workspace = Workspace(image.Id, sample: "does-not-exist");
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");

        var run = CliRun.Invoke(["build", "--repo", repository.Path, "--ref", "HEAD", "--out", output.Path, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED", run.Error);
        Assert.False(File.Exists(Path.Combine(output.Path, "builder-a", "provenance.sigstore.json")));
    }

    [EngineFact]
    public void An_unknown_revision_is_bad_input()
    {
        using var workspace = Workspace("sha256:" + new string('e', 64));
        using var repository = SampleRepository.Create("c-hello");
        using var output = new TemporaryDirectory("buildtrust-out-");
        var run = CliRun.Invoke(["build", "--repo", repository.Path, "--ref", "v9.9", "--out", output.Path, "--policy", workspace.PolicyPath, .. workspace.BuilderKeyArguments()]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown revision 'v9.9'", run.Error);
    }
}
