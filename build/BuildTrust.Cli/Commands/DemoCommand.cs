using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Demo;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// <c>buildtrust demo</c>: generates a sample repository whose commits are signed by DEMO software authenticators, runs
/// the source gate over it and shows five attacks being refused, then releases it: two builders on two Docker engines,
/// compare, signing with a DEMO release key on a SoftHSM2 token, an audit, and a tampered artifact failing the audit.
/// </summary>
public static class DemoCommand
{
    public const string EnginesVariable = "BUILDTRUST_TEST_ENGINES";

    public static Command Create(CliTerminal terminal)
    {
        var output = new Option<string?>("--out") { Description = "Directory for the generated repository, keys and release (default: a new temporary directory)." };
        var engines = new Option<string[]>("--engine")
        {
            Description = $"Two Docker endpoints for the two builders (default: ${EnginesVariable}, which './build.sh demo' sets after starting two dockerd).",
        };
        var sourceGateOnly = new Option<bool>("--source-gate-only") { Description = "Stop after the source gate part (no Docker, no token needed)." };
        var command = new Command("demo",
            "Run BuildTrust end to end on a generated sample repository. Its keys are DEMO software authenticators and a DEMO SoftHSM2 token, " +
            "not hardware. Shows a passing, reviewed history authenticated from a trust root and five attacks being refused (an unsigned commit, " +
            "an untouched security-key signature, a forged commit, a self-approved commit, a unilateral policy change); then releases it with two " +
            "builders on two Docker engines, compares, signs with the release key on the token, audits the release, and shows a tampered artifact " +
            "failing the audit. Needs mmdebstrap (the builder image is built on first use and cached), SoftHSM2 and opensc for the release part. " +
            "Exit 0 when every outcome is as expected.")
        {
            output, engines, sourceGateOnly,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, new DemoOptions(parse.GetValue(output), parse.GetValue(engines) ?? [], parse.GetValue(sourceGateOnly)), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, DemoOptions options, CancellationToken cancellationToken)
    {
        var (outputDirectory, engineArguments, sourceGateOnly) = (options.Output, options.Engines, options.SourceGateOnly);
        var error = terminal.Error;
        var directory = Path.GetFullPath(outputDirectory ?? Directory.CreateTempSubdirectory("buildtrust-demo-").FullName);
        var repository = Path.Combine(directory, "sample-repo");
        if (Directory.Exists(repository) && Directory.EnumerateFileSystemEntries(repository).Any())
            throw new CliInputException($"{repository} already exists and is not empty; choose another --out");
        var engines = engineArguments.Count > 0 ? [.. engineArguments]
            : (Environment.GetEnvironmentVariable(EnginesVariable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!sourceGateOnly && engines.Length < 2)
            throw new DemoUnavailableException("the release part needs two Docker engines: give --engine twice, or run './build.sh demo', which starts them (or use --source-gate-only)");

        DemoReleaseSetup? releasing = null;
        try
        {
            if (!sourceGateOnly)
            {
                await error.WriteLineAsync("Preparing the release part: a builder image on both engines, builder keys, and a DEMO release key on a SoftHSM2 token");
                releasing = await DemoReleaseSetup.PrepareAsync(directory, [.. engines.Take(2).Select(e => new Uri(e))], line => error.WriteLine(line), cancellationToken);
                await error.WriteLineAsync($"DEMO release key: an ECDSA P-256 key generated on SoftHSM2 token '{releasing.TokenLabel}' (a software HSM standing in for a YubiKey or an HSM)");
            }
            using var maintainers = new DemoMaintainers();
            await error.WriteLineAsync("BuildTrust demo: the source gate, with reviews and a policy authenticated from a trust root");
            await error.WriteLineAsync("DEMO KEYS: demo-alice, demo-bob and demo-carol sign with software stand-ins for FIDO security keys (demo-only authenticators).");
            await error.WriteLineAsync($"Writing a sample repository to {repository}");
            var root = DemoRepository.Write(repository, maintainers, releasing?.PolicyFiles ?? new Dictionary<string, string>(), releasing?.PolicySections ?? "");

            var ok = await Step(terminal, "1. The release history: touch-signed, every commit reviewed by the other maintainer (note or signed merge)", repository, root, "main", passes: true, cancellationToken);
            var number = 2;
            foreach (var (branch, attack) in DemoRepository.Attacks)
                ok &= await Step(terminal, $"{number++}. Attack: {attack}", repository, root, $"main..{branch}", passes: false, cancellationToken);
            if (releasing is not null && ok) ok &= await ReleaseAsync(terminal, releasing, repository, root, cancellationToken);

            await error.WriteLineAsync();
            await error.WriteLineAsync(ok
                ? $"Demo complete: the release history passed, all five attacks were refused{(releasing is null ? "" : ", the release was built, signed and audited, and the tampered artifact was caught")}. Try it yourself:\n  buildtrust verify-commits --repo {repository} --trust-root {root} main"
                  + (releasing is null ? "" : $"\n  buildtrust audit {releasing.ReleaseDirectory} --repo {repository} --trust-root {root}")
                : "Demo FAILED: an outcome differed from the expected one (see above).");
            return ok ? ExitCodes.Passed : ExitCodes.VerificationFailed;
        }
        finally
        {
            releasing?.Dispose();
        }
    }

    private static async Task<bool> Step(CliTerminal terminal, string title, string repository, string trustRoot, string range, bool passes, CancellationToken cancellationToken)
    {
        await terminal.Error.WriteLineAsync();
        await terminal.Error.WriteLineAsync($"== {title}");
        await terminal.Error.WriteLineAsync($"$ buildtrust verify-commits --repo {repository} --trust-root {trustRoot[..12]} {range}");
        using var run = SourceGate.StartFromTrustRoot(repository, CommitRange.Parse(range), trustRoot, RepositoryParameters.DefaultPolicy);
        var outcome = await new SourceGateReportWriter(terminal, json: false).WriteAsync(run.Scope, run.Verdicts(cancellationToken));
        return Expect(terminal, outcome.Passed == passes, passes ? "passed" : "refused");
    }

    private static async Task<bool> ReleaseAsync(CliTerminal terminal, DemoReleaseSetup releasing, string repository, string trustRoot, CancellationToken cancellationToken)
    {
        var error = terminal.Error;
        var trust = new TrustOptions(TrustRoot: trustRoot);
        await error.WriteLineAsync();
        await error.WriteLineAsync("== 7. Release main: source gate, two builders on two engines, compare, sign with the DEMO release key on the token");
        await error.WriteLineAsync($"$ buildtrust release --repo {repository} --ref main --trust-root {trustRoot[..12]} --out {releasing.ReleaseDirectory} --builder-key ... --release-key pkcs11:...");
        var released = await ReleaseCommand.RunAsync(terminal, new ReleaseOptions(repository, "main", releasing.ReleaseDirectory, trust, releasing.BuilderKeyArguments, releasing.ReleaseKeyUri), cancellationToken);
        if (!Expect(terminal, released == ExitCodes.Passed, "released")) return false;

        await error.WriteLineAsync();
        await error.WriteLineAsync("== 8. An auditor replays the decision from the published files and the repository");
        await error.WriteLineAsync($"$ buildtrust audit {releasing.ReleaseDirectory} --repo {repository} --trust-root {trustRoot[..12]}");
        var auditOptions = new AuditOptions(releasing.ReleaseDirectory, repository, trust, Rebuild: false, Endpoint: null, Json: false);
        var audit = await AuditCommand.RunAsync(terminal, auditOptions, cancellationToken);
        if (!Expect(terminal, audit == ExitCodes.Passed, "audit passed")) return false;

        await error.WriteLineAsync();
        await error.WriteLineAsync("== 9. Attack: the published binary is replaced after signing");
        var hello = Path.Combine(releasing.ReleaseDirectory, "bin", "hello");
        var original = await File.ReadAllBytesAsync(hello, cancellationToken);
        await File.WriteAllBytesAsync(hello, [.. original, 0x90], cancellationToken);
        var tampered = await AuditCommand.RunAsync(terminal, auditOptions, cancellationToken);
        await File.WriteAllBytesAsync(hello, original, cancellationToken);
        return Expect(terminal, tampered == ExitCodes.VerificationFailed, "the audit failed");
    }

    private static bool Expect(CliTerminal terminal, bool asExpected, string what)
    {
        terminal.Error.WriteLine(asExpected ? $"-> as expected: {what}" : $"-> UNEXPECTED: not {what}");
        return asExpected;
    }
}
