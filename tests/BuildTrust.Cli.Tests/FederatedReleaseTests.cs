using System.Text.RegularExpressions;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// A release by three organisations: org-a builds on the release engineer's dockerd, org-b rebuilds on its own Podman service and
/// org-c on a dockerd in a network namespace of its own reached over mutual TLS; b and c publish their signed bundles in a sigs
/// repository; release collects them, reaches the quorum of three independent engines and signs; audit replays it all.
/// </summary>
[Collection("engines")]
public sealed class FederatedReleaseTests : IDisposable
{
    private readonly TemporaryDirectory work = new("buildtrust-federated-");
    private readonly SigsRepositoryWriter sigs = new();

    public void Dispose()
    {
        sigs.Dispose();
        work.Dispose();
    }

    [RemoteEngineFact]
    public async Task Three_organisations_on_dockerd_podman_and_a_remote_engine_reach_a_quorum_that_audit_replays()
    {
        var image = await TestImages.CToolchainAsync();
        await TestImages.OnAsync(image, TestEngines.Podman!, null);
        await TestImages.OnAsync(image, TestEngines.Remote!, TestEngines.RemoteTls);
        using var workspace = new ReleaseWorkspace([("org-a", TestEngines.A, []), ("org-b", TestEngines.B, ["timezone", "user"]), ("org-c", TestEngines.B, ["hostname", "build-path"])],
            image.Id, ["make", "-C", "samples/c-hello"], ["/out/bin/**"], quorum: 3);
        // org-b and org-c are federated: their engines are their own, not the policy's.
        File.WriteAllText(workspace.PolicyPath, Regex.Replace(File.ReadAllText(workspace.PolicyPath), $"(  - id: org-[bc]\n)    endpoint: [^\n]*\n", "$1"));
        using var repository = SampleRepository.Create("c-hello", workspace.Maintainer);
        var commit = repository.Head;

        // Each federated organisation rebuilds on its own engine and commits its bundle, signed with its key.
        foreach (var (org, endpoint, tls) in new[] { ("org-b", TestEngines.Podman!, (string?)null), ("org-c", TestEngines.Remote!, TestEngines.RemoteTls) })
        {
            var output = work.Combine(org);
            var rebuild = CliRun.Invoke(["rebuild", "--repo", repository.Path, "--ref", "HEAD", "--builder", org, "--builder-key", workspace.BuilderKey(org),
                "--endpoint", endpoint.ToString(), .. tls is null ? Array.Empty<string>() : ["--tls", tls], "--policy", workspace.PolicyPath, "--out", output]);
            Assert.True(rebuild.ExitCode == 0, rebuild.Error);
            sigs.Commit(commit, org, File.ReadAllBytes(Path.Combine(output, org, "provenance.sigstore.json")), workspace.BuilderKey(org), $"{org} attestation");
        }

        var release = work.Combine("release");
        var run = CliRun.Invoke(["release", "--repo", repository.Path, "--ref", "HEAD", "--out", release, "--policy", workspace.PolicyPath,
            "--builder-key", $"org-a={workspace.BuilderKey("org-a")}", "--release-key", workspace.ReleaseKey, "--sigs", sigs.Path]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("3 of 3 builders produced identical artifacts", run.Error);

        // The release engineer's own organisation publishes its bundle too; until it does, an audit against the sigs repository fails.
        var early = CliRun.Invoke("audit", release, "--repo", repository.Path, "--policy", workspace.PolicyPath, "--sigs", sigs.Path);
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("provenance/org-a.sigstore.json is not in", early.Error);
        sigs.Commit(commit, "org-a", File.ReadAllBytes(Path.Combine(release, "provenance", "org-a.sigstore.json")), workspace.BuilderKey("org-a"), "org-a attestation");

        var audit = CliRun.Invoke("audit", release, "--repo", repository.Path, "--policy", workspace.PolicyPath, "--sigs", sigs.Path, "--json");
        Assert.True(audit.ExitCode == 0, audit.Error);
        Assert.Contains("3 of 3 builders produced identical artifacts (quorum 3)", audit.Error);
        Assert.Contains("ok         release.sigs", audit.Error);
        foreach (var org in new[] { "org-a", "org-b", "org-c" }) Assert.True(File.Exists(Path.Combine(release, "provenance", $"{org}.sigstore.json")), org);
        var kinds = new[] { "org-a", "org-b", "org-c" }.Select(org => Regex.Match(Provenance(release, org), "\"engine-kind\":\"(?<k>[a-z]+)\"").Groups["k"].Value).ToList();
        Assert.Equal(["dockerd", "podman", "dockerd"], kinds);
        Assert.Contains("\"engine-host\":\"buildtrust-remote\"", Provenance(release, "org-c"), StringComparison.Ordinal);
    }

    private static string Provenance(string release, string org)
    {
        var bundle = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(release, "provenance", $"{org}.sigstore.json")))!;
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(bundle["dsseEnvelope"]!["payload"]!.GetValue<string>()));
    }
}
