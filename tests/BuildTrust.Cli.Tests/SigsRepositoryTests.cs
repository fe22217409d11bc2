using BuildTrust.Testing.Release;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// Bundles collected from a sigs repository (each builder commits its own, signed with its provenance key) and from folders:
/// counted only from a commit their builder signed, and verified against the policy like any other (no engine needed).
/// </summary>
public sealed class SigsRepositoryTests : IDisposable
{
    private readonly SyntheticBuild build = new();
    private readonly SigsRepositoryWriter sigs = new();

    public SigsRepositoryTests() => build.Build();

    public void Dispose()
    {
        build.Dispose();
        sigs.Dispose();
    }

    /// <summary>builder-b's bundle moves from the build folder to the sigs repository (or anywhere else), leaving only builder-a's locally.</summary>
    private byte[] TakeBundleOfB()
    {
        var path = Path.Combine(build.Output, "builder-b", "provenance.sigstore.json");
        var bytes = File.ReadAllBytes(path);
        Directory.Delete(Path.Combine(build.Output, "builder-b"), recursive: true);
        return bytes;
    }

    private CliRun Compare(params string[] extra) => CliRun.Invoke(["compare", "--policy", build.Workspace.PolicyPath, .. extra, build.Output]);

    [Fact]
    public void A_bundle_its_builder_committed_and_signed_counts_towards_the_quorum()
    {
        sigs.Commit(build.Commit, "builder-b", TakeBundleOfB(), build.Workspace.BuilderKey("builder-b"));

        var compare = Compare("--sigs", sigs.Path);

        Assert.True(compare.ExitCode == 0, compare.Error);
        Assert.Contains("2 of 2 builders produced identical artifacts", compare.Error);
    }

    [Fact]
    public void Without_the_sigs_repository_the_same_build_folder_misses_the_quorum()
    {
        sigs.Commit(build.Commit, "builder-b", TakeBundleOfB(), build.Workspace.BuilderKey("builder-b"));
        Assert.Equal(1, Compare().ExitCode);
    }

    [Fact]
    public void A_merge_by_someone_else_brings_nothing_in_and_needs_no_builder_signature()
    {
        sigs.Repository.Git("commit", "-q", "--allow-empty", "-m", "start");
        sigs.Repository.Git("checkout", "-q", "-b", "builder-b");
        sigs.Commit(build.Commit, "builder-b", TakeBundleOfB(), build.Workspace.BuilderKey("builder-b"));
        sigs.Repository.Git("checkout", "-q", "-");
        sigs.Repository.Git("commit", "-q", "--allow-empty", "-m", "meanwhile");
        sigs.Repository.Git("merge", "-q", "--no-ff", "-m", "Merge builder-b's attestation", "builder-b");

        var compare = Compare("--sigs", sigs.Path);

        Assert.True(compare.ExitCode == 0, compare.Error);
    }

    [Fact]
    public void A_bundle_committed_by_another_builders_key_is_refused()
    {
        sigs.Commit(build.Commit, "builder-b", TakeBundleOfB(), build.Workspace.BuilderKey("builder-a"));

        var compare = Compare("--sigs", sigs.Path);

        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("signed by another key than the builder's", compare.Error);
    }

    [Fact]
    public void A_bundle_committed_unsigned_is_refused()
    {
        sigs.Commit(build.Commit, "builder-b", TakeBundleOfB(), signingKeyPem: null);

        var compare = Compare("--sigs", sigs.Path);

        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("which is not signed", compare.Error);
    }

    [Fact]
    public void A_genuine_bundle_recommitted_by_someone_else_is_refused_from_that_commit()
    {
        var bundle = TakeBundleOfB();
        sigs.Commit(build.Commit, "builder-b", bundle, build.Workspace.BuilderKey("builder-b"));
        sigs.Repository.Git("rm", "-q", "-r", build.Commit);
        sigs.Repository.Git("commit", "-q", "-m", "drop");
        sigs.Commit(build.Commit, "builder-b", bundle, build.Workspace.BuilderKey("builder-a"), "re-add");

        Assert.Equal(1, Compare("--sigs", sigs.Path).ExitCode);
    }

    [Fact]
    public void A_file_in_the_folder_of_a_builder_the_policy_does_not_have_is_refused()
    {
        sigs.Commit(build.Commit, "builder-b", TakeBundleOfB(), build.Workspace.BuilderKey("builder-b"));
        sigs.Commit(build.Commit, "builder-z", "{}"u8.ToArray(), build.Workspace.BuilderKey("builder-b"));

        var compare = Compare("--sigs", sigs.Path);

        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("'builder-z', which is not a builder of the policy", compare.Error);
    }

    [Fact]
    public void A_bundle_in_a_folder_of_bundles_is_verified_against_its_builders_key_and_a_forged_one_is_refused()
    {
        using var collected = new Testing.Tools.TemporaryDirectory("buildtrust-bundles-");
        var bundle = TakeBundleOfB();
        File.WriteAllBytes(collected.Combine("builder-b.sigstore.json"), bundle);
        Assert.Equal(0, Compare("--bundles", collected.Path).ExitCode);

        var text = System.Text.Encoding.UTF8.GetString(bundle);
        var signature = System.Text.RegularExpressions.Regex.Match(text, "\"sig\"\\s*:\\s*\"(?<sig>[^\"]+)\"").Groups["sig"].Value;
        var forged = Convert.FromBase64String(signature);
        forged[^1] ^= 1;
        File.WriteAllText(collected.Combine("builder-b.sigstore.json"), text.Replace(signature, Convert.ToBase64String(forged), StringComparison.Ordinal));
        Assert.NotEqual(0, Compare("--bundles", collected.Path).ExitCode);
    }
}
