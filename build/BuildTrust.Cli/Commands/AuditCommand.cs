using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Release;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust audit</c>: re-verifies a published release from its files alone.</summary>
public static class AuditCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var directory = new Argument<string>("dir") { Description = "The release directory written by 'sign' or 'release'." };
        var policy = new Option<string?>("--policy") { Description = "The policy to audit against (default: the policy.yaml published in DIR, which then is only as trustworthy as DIR; give --policy or --repo to authenticate it)." };
        var repo = new Option<string?>("--repo") { Description = "The repository: replay the source gate over the released commit (and, with a trust root, check DIR's policy is the repository's)." };
        var trustRoot = new Option<string?>("--trust-root") { Description = $"Trust root for the source gate replay (default: 'TrustRoot' in the repository's {RepositoryParameters.RelativePath})." };
        var rebuild = new Option<bool>("--rebuild") { Description = "Also rebuild once more on a local engine (needs --repo) and compare with the published digests." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Docker endpoint for --rebuild (default: $DOCKER_HOST, else unix:///var/run/docker.sock)." };
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var command = new Command("audit",
            "Re-verify a signed release from its files: no symbolic links; release.pub is the policy's release key; every artifact's signature and SHA256SUMS; " +
            "the release and source attestations and what they bind (commit, policy, provenance bundles, artifacts); every provenance bundle against the " +
            "policy's builder keys and the quorum; no unaccounted files. With --repo, replays the source gate; with --rebuild, rebuilds once more. " +
            "Exit 0 only when everything holds, 1 when something does not, 2 for malformed input.")
        {
            directory, policy, repo, trustRoot, rebuild, endpoint, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, parse.GetValue(directory)!, parse.GetValue(policy), parse.GetValue(repo),
            parse.GetValue(trustRoot), parse.GetValue(rebuild), parse.GetValue(endpoint), parse.GetValue(json), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, string directory, string? policyPath, string? repository, string? trustRoot,
        bool rebuild, string? endpoint, bool json, CancellationToken cancellationToken)
    {
        try
        {
            if (!Directory.Exists(directory)) throw new CliInputException($"{directory}: no such release directory");
            if (rebuild && repository is null) throw new CliInputException("--rebuild needs --repo (the source to rebuild from)");
            var (policy, policyBytes, origin) = LoadPolicy(directory, policyPath, repository);
            var checks = ReleaseAuditor.Audit(directory, policy, policyBytes).ToList();
            checks.Insert(0, new AuditCheck("policy source", CheckStatus.Passed, origin));
            var commit = ProvenanceSet.Verify(policy, ProvenanceBundles(directory)).SourceCommit;
            if (repository is not null && commit is not null) checks.Add(ReplaySourceGate(repository, trustRoot, commit, policy, policyBytes, cancellationToken));
            if (rebuild && commit is not null) checks.Add(await RebuildAsync(terminal, repository!, commit, policy, directory, endpoint, cancellationToken));
            var status = checks.Count == 0 ? CheckStatus.Failed : checks.Max(c => c.Status);
            foreach (var check in checks) await terminal.Error.WriteLineAsync($"{Label(check.Status)} {check.Name}: {check.Detail}");
            await terminal.Error.WriteLineAsync(status == CheckStatus.Passed ? "AUDIT PASSED" : "AUDIT FAILED");
            if (json)
            {
                await terminal.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    passed = status == CheckStatus.Passed,
                    commit,
                    checks = checks.Select(c => new { name = c.Name, status = c.Status.ToString().ToLowerInvariant(), detail = c.Detail }),
                }, JsonReport.Options));
            }
            return SourceGateReportWriter.ExitCodeOf(status);
        }
        catch (Exception e) when (e is PolicyException or CliInputException or IOException or UnauthorizedAccessException or CommitRangeException or LibGit2Sharp.LibGit2SharpException)
        {
            await terminal.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>
    /// The policy to audit against: --policy; else, with --repo, the repository's policy at the released commit (read from
    /// the provenance, then verified against everything else); else the release's own policy.yaml, which proves nothing by itself.
    /// </summary>
    private static (ReleasePolicy Policy, byte[] Bytes, string Origin) LoadPolicy(string directory, string? policyPath, string? repository)
    {
        if (policyPath is not null) return (PolicyLoader.Load(policyPath), File.ReadAllBytes(policyPath), $"audited against {policyPath}");
        if (repository is not null && ClaimedCommit(directory) is { } commit)
        {
            var inRepository = RepositoryParameters.Read(repository).Policy ?? RepositoryParameters.DefaultPolicy;
            var (policy, bytes) = RepositoryPolicy.LoadAt(repository, commit, inRepository);
            return (policy, bytes, $"audited against the repository's {inRepository} at the released commit {commit[..12]}");
        }
        var published = Path.Combine(directory, ReleaseLayout.Policy);
        var publishedBytes = File.ReadAllBytes(published);
        return (PolicyLoader.Parse(publishedBytes, published, new DirectoryPolicyFiles(Path.Combine(directory, ReleaseLayout.PolicyFolder))), publishedBytes,
            "NOT authenticated: audited against the policy.yaml published in the release itself (give --policy or --repo)");
    }

    /// <summary>The commit the provenance names (unverified: it only selects the policy, which then verifies everything).</summary>
    private static string? ClaimedCommit(string directory)
    {
        foreach (var (path, bytes) in ProvenanceBundles(directory))
        {
            try
            {
                if (Verifiers.Sigstore.SigstoreBundleReader.Parse(bytes, path).Dsse is { } dsse)
                    return Verifiers.Attestations.InTotoStatements.ReadProvenance(dsse.Payload, path).SourceCommit;
            }
            catch (Verifiers.Sigstore.SigstoreBundleException)
            {
            }
        }
        return null;
    }

    private static IReadOnlyList<(string Path, byte[] Bytes)> ProvenanceBundles(string directory)
    {
        var folder = Path.Combine(directory, ReleaseLayout.ProvenanceFolder);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal).Select(p => (p, File.ReadAllBytes(p)))] : [];
    }

    private static AuditCheck ReplaySourceGate(string repository, string? trustRoot, string commit, ReleasePolicy policy, byte[] policyBytes, CancellationToken cancellationToken)
    {
        var parameters = RepositoryParameters.Read(repository);
        trustRoot ??= parameters.TrustRoot;
        SourceGateReport report;
        if (trustRoot is null)
        {
            report = SourceGate.Verify(repository, new CommitRange(null, commit), policy, cancellationToken);
        }
        else
        {
            var inRepository = parameters.Policy ?? RepositoryParameters.DefaultPolicy;
            using (var git = new LibGit2Sharp.Repository(repository))
            {
                var blob = (git.Lookup(commit) as LibGit2Sharp.Commit)?[inRepository]?.Target as LibGit2Sharp.Blob;
                using var content = blob?.GetContentStream();
                using var buffer = new MemoryStream();
                content?.CopyTo(buffer);
                if (blob is null || !SHA256.HashData(buffer.ToArray()).AsSpan().SequenceEqual(SHA256.HashData(policyBytes)))
                    return new AuditCheck("source gate (replayed)", CheckStatus.Failed, $"the policy audited against is not the repository's {inRepository} at {commit[..12]}");
            }
            report = SourceGate.VerifyFromTrustRoot(repository, new CommitRange(trustRoot, commit), trustRoot, inRepository, cancellationToken);
        }
        var summary = report.Summary;
        var failures = report.Commits.Where(c => c.Status != CheckStatus.Passed).Take(3).Select(c => $"{c.CommitId[..12]}: {c.FirstFailure?.Actual}");
        return new AuditCheck("source gate (replayed)", summary.Status,
            $"{summary.Passed} of {summary.Total} commit(s) pass{(trustRoot is null ? "" : $" from trust root {trustRoot}")}" + (summary.Status == CheckStatus.Passed ? "" : ": " + string.Join("; ", failures)));
    }

    private static async Task<AuditCheck> RebuildAsync(CliTerminal terminal, string repository, string commit, ReleasePolicy policy, string directory, string? endpoint, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint ?? (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock"));
        var auditor = new BuilderDefinition("audit-rebuild", uri, [], null, new HashSet<string>(StringComparer.Ordinal));
        using var source = SourceExporter.Export(repository, commit);
        using var engine = DockerContainerEngine.Connect(uri, null);
        var work = Directory.CreateTempSubdirectory("buildtrust-rebuild-");
        try
        {
            var result = await new BuilderRunner(auditor, policy.Build!, policy.Build!.Limits).RunAsync(engine, source, work.FullName,
                new Progress<BuildProgress>(p => terminal.Error.WriteLine($"rebuild: {p.Phase} {p.LogTail}")), cancellationToken);
            if (!result.Succeeded) return new AuditCheck("rebuild", result.Failure == BuildFailureKind.Infrastructure ? CheckStatus.Malformed : CheckStatus.Failed, result.FailureMessage ?? "failed");
            var sums = ReleaseAuditor.ParseSums(File.Exists(Path.Combine(directory, ReleaseLayout.Sums)) ? File.ReadAllBytes(Path.Combine(directory, ReleaseLayout.Sums)) : null, out _);
            var same = sums is not null && sums.Count == result.Artifacts.Count && result.Artifacts.All(a => sums.TryGetValue(a.Name, out var d) && d == a.Sha256);
            return new AuditCheck("rebuild", same ? CheckStatus.Passed : CheckStatus.Failed,
                same ? $"a local rebuild on {uri} produced the same {result.Artifacts.Count} artifact(s)" : "a local rebuild produced different artifacts than SHA256SUMS");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Label(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "ok        ",
        CheckStatus.Failed => "FAIL      ",
        _ => "MALFORMED ",
    };
}
