using System.CommandLine;
using System.Text.Json;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Cli.Rendering.Json;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Release;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust audit</c>: re-verifies a published release from its files alone.</summary>
public static class AuditCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var directory = new Argument<string>("dir") { Description = "The release directory written by 'sign' or 'release'." };
        var policy = new Option<string?>("--policy")
        {
            Description = "Without a trust root: the policy file to audit against, which you vouch for (outside --repo). With a trust root: the policy's path inside the repository. " +
                          "Without either, the audit uses the release's own policy.yaml, reports it NOT authenticated, and fails.",
        };
        var repo = new Option<string?>("--repo") { Description = "The repository: replay the source gate over the released commit; with a trust root, the policy is the repository's at that commit, authenticated through history." };
        var trust = new TrustArguments();
        var rebuild = new Option<bool>("--rebuild") { Description = "Also rebuild once more on a local engine (needs --repo) and compare with the published digests." };
        var endpoint = new Option<string?>("--endpoint") { Description = "Docker endpoint for --rebuild (default: $DOCKER_HOST, else unix:///var/run/docker.sock)." };
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var command = new Command("audit",
            "Re-verify a signed release from its files: only regular files; release.pub is the policy's release key; every artifact's signature and SHA256SUMS; " +
            "the release and source attestations and what they bind (commit, policy, provenance bundles, artifacts); every provenance bundle against the " +
            "policy's builder keys and the quorum; policy/ holds exactly the policy's files; no unaccounted files. The policy's authority must come from " +
            "outside the release (a trust root with --repo, or --policy). With --repo, replays the source gate; with --rebuild, rebuilds once more. " +
            "Exit 0 only when everything holds, 1 when something does not (or the policy is not authenticated), 2 for malformed input.")
        {
            directory, policy, repo, rebuild, endpoint, json,
        };
        trust.AddTo(command);
        var sigs = new OriginArguments();
        sigs.AddTo(command, bundles: false);
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new AuditOptions(parse.GetValue(directory)!, parse.GetValue(repo), trust.Read(parse, parse.GetValue(policy)),
            parse.GetValue(rebuild), parse.GetValue(endpoint), parse.GetValue(json), sigs.Read(parse)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, AuditOptions options, CancellationToken cancellationToken)
    {
        var (directory, json) = (options.Directory, options.Json);
        if (options.Rebuild && options.Repository is null) throw new CliInputException("--rebuild needs --repo (the source to rebuild from)");
        var report = ReleaseAudit.Run(new ReleaseAudit.Request(directory, options.Repository, options.Trust, options.Sigs), cancellationToken);
        var checks = report.Checks.ToList();
        // The native executable hands --rebuild to the JIT build (JitCommands), so the Docker client is never compiled into it.
        if (options.Rebuild && report.Commit is not null)
            checks.Add(JitCommands.Included ? await RebuildAsync(terminal, options.Repository!, report.Commit, directory, options.Trust, options.Endpoint, cancellationToken)
                : throw new InvalidOperationException("audit --rebuild runs in the framework-dependent build"));
        var status = checks.Count == 0 ? CheckStatus.Failed : checks.Max(c => c.Status);
        foreach (var check in checks) await terminal.Error.WriteLineAsync($"{Label(check.Status)} {check.Id}: {check.Actual}");
        await terminal.Error.WriteLineAsync(status == CheckStatus.Passed ? "AUDIT PASSED" : "AUDIT FAILED");
        if (json)
        {
            await terminal.Out.WriteLineAsync(JsonSerializer.Serialize(new AuditDocument(status == CheckStatus.Passed, report.Commit, checks), ReportJsonContext.Default.AuditDocument));
        }
        return SourceGateReportWriter.ExitCodeOf(status);
    }

    private static async Task<CheckResult> RebuildAsync(CliTerminal terminal, string repository, string commit, string directory, TrustOptions trust, string? endpoint, CancellationToken cancellationToken)
    {
        const string Id = "rebuild";
        const string Expected = "a local rebuild produces the artifacts of SHA256SUMS";
        var anchor = TrustAnchor.Resolve(repository, trust);
        var policy = anchor.Authority == PolicyAuthority.History
            ? RepositoryPolicy.LoadAt(repository, commit, anchor.PolicyPath).Policy
            : PolicyLoader.Load(anchor.Authority == PolicyAuthority.GivenByCaller ? anchor.PolicyPath : Path.Combine(directory, ReleaseLayout.Policy));
        var uri = new Uri(endpoint ?? (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock"));
        var auditor = new BuilderDefinition("audit-rebuild", uri, [], null, new HashSet<string>(StringComparer.Ordinal));
        using var source = SourceExporter.Export(repository, commit);
        using var engine = DockerContainerEngine.Connect(uri, null);
        var work = Directory.CreateTempSubdirectory("buildtrust-rebuild-");
        try
        {
            var result = await new BuilderRunner(auditor, policy.Build!, policy.Build!.Limits).RunAsync(engine, source, work.FullName,
                new Progress<BuildProgress>(p => terminal.Error.WriteLine($"rebuild: {p.Phase} {p.LogTail}")), cancellationToken);
            if (!result.Succeeded) return new CheckResult(Id, result.Failure == BuildFailureKind.Infrastructure ? CheckStatus.Malformed : CheckStatus.Failed, Expected, result.FailureMessage ?? "failed");
            var sums = ReleaseAuditor.ParseSums(UntrustedFile.ReadIfPresent(Path.Combine(directory, ReleaseLayout.Sums), ReleaseAuditor.MaximumFileBytes), out _);
            var same = sums is not null && sums.Count == result.Artifacts.Count && result.Artifacts.All(a => sums.TryGetValue(a.Name, out var d) && d == a.Sha256);
            return same ? CheckResult.Pass(Id, Expected, $"a local rebuild on {uri} produced the same {result.Artifacts.Count} artifact(s)")
                : CheckResult.Fail(Id, Expected, "a local rebuild produced different artifacts than SHA256SUMS");
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
