using System.CommandLine;
using BuildTrust.Cli.Rendering;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Policy;
using BuildTrust.Testing.Ssh;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// <c>buildtrust demo</c>: generates a sample repository whose commits are signed by DEMO software
/// authenticators, runs the source gate over it, then shows three attacks being refused.
/// </summary>
public static class DemoCommand
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static Command Create(CliTerminal terminal)
    {
        var output = new Option<string?>("--out") { Description = "Directory for the generated repository (default: a new temporary directory)." };
        var command = new Command("demo",
            "Run the source gate end to end on a generated sample repository. Its keys are DEMO software " +
            "authenticators, not hardware. Shows a passing history, then an unsigned commit, an untouched " +
            "security-key signature and a forged commit being refused. Exit 0 when every outcome is as expected.")
        {
            output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, parse.GetValue(output), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, string? outputDirectory, CancellationToken cancellationToken)
    {
        var error = terminal.Error;
        var root = outputDirectory ?? Directory.CreateTempSubdirectory("buildtrust-demo-").FullName;
        var repository = Path.Combine(root, "sample-repo");
        if (Directory.Exists(repository) && Directory.EnumerateFileSystemEntries(repository).Any())
        {
            await error.WriteLineAsync($"error: {repository} already exists and is not empty; choose another --out");
            return ExitCodes.BadInput;
        }

        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice@DEMO-KEY-software-authenticator");
        using var bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "bob@DEMO-KEY-software-authenticator");
        var policyYaml = new PolicyBuilder()
            .Maintainer("demo-alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine)
            .Maintainer("demo-bob", ["author", "reviewer"], bob.PublicKeyLine)
            .Require("hardware")
            .ToYaml();
        policyYaml = "# DEMO policy: the keys below are software authenticators made by 'buildtrust demo', not hardware.\n" + policyYaml;

        await error.WriteLineAsync("BuildTrust demo: the source gate");
        await error.WriteLineAsync("DEMO KEYS: demo-alice and demo-bob sign with software stand-ins for FIDO security keys (test-only authenticators).");
        await error.WriteLineAsync($"Writing a sample repository to {repository}");

        string release;
        using (var writer = SignedHistoryWriter.Create(repository))
        {
            writer.Commit(new Dictionary<string, string>
            {
                [RepositoryParameters.DefaultPolicy] = policyYaml,
                ["README.md"] = "# hello\nA sample project released with BuildTrust.\n",
            }, "Adopt BuildTrust: release policy", alice, Start);
            writer.Commit(new Dictionary<string, string> { ["src/hello.c"] = "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n" }, "Add hello.c", bob, Start.AddHours(1));
            writer.Commit(new Dictionary<string, string> { ["Makefile"] = "hello: src/hello.c\n\tcc -O2 -o $@ $<\n" }, "Add Makefile", alice, Start.AddHours(2));
            release = writer.Commit(new Dictionary<string, string> { ["VERSION"] = "1.0.0\n" }, "Release 1.0.0", bob, Start.AddHours(3));
            writer.CheckOut("main");

            writer.StartBranch("attack/unsigned", release);
            writer.Commit(new Dictionary<string, string> { ["src/hello.c"] = "/* backdoor */\n" }, "Quick fix (unsigned)", null, Start.AddHours(4));

            writer.StartBranch("attack/no-touch", release);
            alice.DefaultFlags = 0;
            writer.Commit(new Dictionary<string, string> { ["src/hello.c"] = "/* signed by malware, key never touched */\n" }, "Refactor", alice, Start.AddHours(4));
            alice.DefaultFlags = SoftwareFidoAuthenticator.UserPresent;

            writer.StartBranch("attack/forged", release);
            writer.Commit(new Dictionary<string, string> { ["docs.md"] = "docs\n" }, "Update docs", bob, Start.AddHours(4),
                tamper: raw => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(raw).Replace("Update docs", "Update DOCS", StringComparison.Ordinal)));
        }

        var policy = PolicyLoader.Load(Path.Combine(repository, RepositoryParameters.DefaultPolicy));
        var ok = true;
        ok &= await Step(terminal, "1. The release history: every commit touch-signed by a maintainer's security key", repository, "main", policy, CheckStatus.Passed, cancellationToken);
        ok &= await Step(terminal, "2. Attack: an unsigned commit on top of the release", repository, "main..attack/unsigned", policy, CheckStatus.Failed, cancellationToken);
        ok &= await Step(terminal, "3. Attack: malware signs with a plugged-in key without a touch (git verify-commit would say Good)", repository, "main..attack/no-touch", policy, CheckStatus.Failed, cancellationToken);
        ok &= await Step(terminal, "4. Attack: a signed commit's message changed after signing", repository, "main..attack/forged", policy, CheckStatus.Failed, cancellationToken);

        await error.WriteLineAsync();
        await error.WriteLineAsync(ok
            ? $"Demo complete: the release history passed and all three attacks were refused. Try it yourself:\n  buildtrust verify-commits --repo {repository} main"
            : "Demo FAILED: an outcome differed from the expected one (see above).");
        return ok ? ExitCodes.Passed : ExitCodes.VerificationFailed;
    }

    private static async Task<bool> Step(CliTerminal terminal, string title, string repository, string range, ReleasePolicy policy, CheckStatus expected, CancellationToken cancellationToken)
    {
        await terminal.Error.WriteLineAsync();
        await terminal.Error.WriteLineAsync($"== {title}");
        await terminal.Error.WriteLineAsync($"$ buildtrust verify-commits --repo {repository} {range}");
        using var run = SourceGate.Start(repository, CommitRange.Parse(range), policy);
        var summary = await new SourceGateReportWriter(terminal, json: false).WriteAsync(run.Scope, run.Verdicts(cancellationToken));
        var asExpected = summary.Status == expected;
        await terminal.Error.WriteLineAsync(asExpected ? "-> as expected" : $"-> UNEXPECTED: wanted {expected}");
        return asExpected;
    }
}
