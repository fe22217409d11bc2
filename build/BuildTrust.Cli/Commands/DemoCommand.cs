using System.CommandLine;
using System.Security.Cryptography;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Pkcs11;
using BuildTrust.Testing.Policy;
using BuildTrust.Testing.Ssh;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// <c>buildtrust demo</c>: generates a sample repository whose commits are signed by DEMO software
/// authenticators, runs the source gate over it and shows five attacks being refused, then releases it:
/// two builders on two Docker engines, compare, signing with a DEMO release key on a SoftHSM2 token, an
/// audit, and a tampered artifact failing the audit.
/// </summary>
public static class DemoCommand
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

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
            "failing the audit. Exit 0 when every outcome is as expected.")
        {
            output, engines, sourceGateOnly,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(terminal, parse.GetValue(output), parse.GetValue(engines) ?? [], parse.GetValue(sourceGateOnly), cancellationToken));
        return command;
    }

    public const string EnginesVariable = "BUILDTRUST_TEST_ENGINES";

    public static async Task<int> RunAsync(CliTerminal terminal, string? outputDirectory, string[] engineArguments, bool sourceGateOnly, CancellationToken cancellationToken)
    {
        var error = terminal.Error;
        var directory = outputDirectory ?? Directory.CreateTempSubdirectory("buildtrust-demo-").FullName;
        var repository = Path.Combine(directory, "sample-repo");
        if (Directory.Exists(repository) && Directory.EnumerateFileSystemEntries(repository).Any())
        {
            await error.WriteLineAsync($"error: {repository} already exists and is not empty; choose another --out");
            return ExitCodes.BadInput;
        }

        var engines = engineArguments.Length > 0 ? engineArguments
            : (Environment.GetEnvironmentVariable(EnginesVariable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!sourceGateOnly && engines.Length < 2)
        {
            await error.WriteLineAsync($"error: the release part needs two Docker engines: give --engine twice, or run './build.sh demo', which starts them (or use --source-gate-only)");
            return ExitCodes.InfrastructureUnavailable;
        }
        using var releasing = sourceGateOnly ? null : await DemoRelease.PrepareAsync(terminal, directory, [.. engines.Take(2).Select(e => new Uri(e))], cancellationToken);

        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "demo-alice@DEMO-KEY-software-authenticator");
        using var bob = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "demo-bob@DEMO-KEY-software-authenticator");
        using var carol = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "demo-carol@DEMO-KEY-software-authenticator");
        PolicyBuilder Policy(int reviews) => new PolicyBuilder()
            .Maintainer("demo-alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine)
            .Maintainer("demo-bob", ["author", "reviewer", "policy-admin"], bob.PublicKeyLine)
            .Maintainer("demo-carol", ["author", "reviewer"], carol.PublicKeyLine)
            .Require("hardware")
            .Reviews(reviews, policyChanges: 2);
        const string Header = "# DEMO policy: the keys below are software authenticators made by 'buildtrust demo', not hardware.\n";
        string PolicyText(int reviews) => Header + Policy(reviews).ToYaml() + (releasing?.PolicySections ?? "");

        await error.WriteLineAsync("BuildTrust demo: the source gate, with reviews and a policy authenticated from a trust root");
        await error.WriteLineAsync("DEMO KEYS: demo-alice, demo-bob and demo-carol sign with software stand-ins for FIDO security keys (test-only authenticators).");
        await error.WriteLineAsync($"Writing a sample repository to {repository}");

        string root;
        var time = Start;
        DateTimeOffset Next() => time = time.AddHours(1);
        Dictionary<string, string> File(string path, string content) => new() { [path] = content };
        using (var writer = SignedHistoryWriter.Create(repository))
        {
            var adoption = new Dictionary<string, string>(releasing?.PolicyFiles ?? new Dictionary<string, string>())
            {
                [RepositoryParameters.DefaultPolicy] = PolicyText(reviews: 1),
                ["README.md"] = "# hello\nA sample project released with BuildTrust.\n",
            };
            root = writer.Commit(adoption, "Adopt BuildTrust: release policy (the trust root)", alice, Next());
            var hello = writer.Commit(File("src/hello.c", "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n"), "Add hello.c", bob, Next());
            writer.Approve(hello, alice, Next());

            writer.StartBranch("feature/makefile", hello);
            var makefile = writer.Commit(File("Makefile", DemoRelease.Makefile), "Add Makefile", alice, Next());
            writer.StartBranch("main", hello);
            var merge = writer.Commit(File("Makefile", DemoRelease.Makefile), "Merge feature/makefile (reviewed by demo-bob)", bob, Next(), mergeParents: [makefile]);
            writer.Approve(merge, alice, Next());
            var release = writer.Commit(File("VERSION", "1.0.0\n"), "Release 1.0.0", bob, Next());
            writer.Approve(release, alice, Next());
            writer.CheckOut("main");

            writer.StartBranch("attack/unsigned", release);
            writer.Commit(File("src/hello.c", "/* backdoor */\n"), "Quick fix (unsigned)", null, Next());

            writer.StartBranch("attack/no-touch", release);
            alice.DefaultFlags = 0;
            var untouched = writer.Commit(File("src/hello.c", "/* signed by malware, key never touched */\n"), "Refactor", alice, Next());
            alice.DefaultFlags = SoftwareFidoAuthenticator.UserPresent;
            writer.Approve(untouched, bob, Next());

            writer.StartBranch("attack/forged", release);
            var forged = writer.Commit(File("docs.md", "docs\n"), "Update docs", bob, Next(),
                tamper: raw => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(raw).Replace("Update docs", "Update DOCS", StringComparison.Ordinal)));
            writer.Approve(forged, alice, Next());

            writer.StartBranch("attack/unreviewed", release);
            var unreviewed = writer.Commit(File("src/hello.c", "/* pushed without review */\n"), "Small change", alice, Next());
            writer.Approve(unreviewed, alice, Next());

            writer.StartBranch("attack/policy", release);
            var weakened = writer.Commit(File(RepositoryParameters.DefaultPolicy, PolicyText(reviews: 0)), "Drop the review rule", alice, Next());
            writer.Approve(weakened, carol, Next());
        }

        var ok = true;
        ok &= await Step(terminal, "1. The release history: touch-signed, every commit reviewed by the other maintainer (note or signed merge)", repository, root, "main", CheckStatus.Passed, cancellationToken);
        ok &= await Step(terminal, "2. Attack: an unsigned commit on top of the release", repository, root, "main..attack/unsigned", CheckStatus.Failed, cancellationToken);
        ok &= await Step(terminal, "3. Attack: malware signs with a plugged-in key without a touch (git verify-commit would say Good)", repository, root, "main..attack/no-touch", CheckStatus.Failed, cancellationToken);
        ok &= await Step(terminal, "4. Attack: a signed commit's message changed after signing", repository, root, "main..attack/forged", CheckStatus.Failed, cancellationToken);
        ok &= await Step(terminal, "5. Attack: a maintainer approves her own commit", repository, root, "main..attack/unreviewed", CheckStatus.Failed, cancellationToken);
        ok &= await Step(terminal, "6. Attack: one admin removes the review rule, reviewed by a non-admin (policy changes need 2 admins)", repository, root, "main..attack/policy", CheckStatus.Failed, cancellationToken);

        if (releasing is not null && ok) ok &= await releasing.RunAsync(terminal, repository, root, cancellationToken);

        await error.WriteLineAsync();
        await error.WriteLineAsync(ok
            ? $"Demo complete: the release history passed, all five attacks were refused{(releasing is null ? "" : ", the release was built, signed and audited, and the tampered artifact was caught")}. Try it yourself:\n  buildtrust verify-commits --repo {repository} --trust-root {root} main"
              + (releasing is null ? "" : $"\n  buildtrust audit {releasing.ReleaseDirectory} --repo {repository} --trust-root {root}")
            : "Demo FAILED: an outcome differed from the expected one (see above).");
        return ok ? ExitCodes.Passed : ExitCodes.VerificationFailed;
    }

    private static async Task<bool> Step(CliTerminal terminal, string title, string repository, string trustRoot, string range, CheckStatus expected, CancellationToken cancellationToken)
    {
        await terminal.Error.WriteLineAsync();
        await terminal.Error.WriteLineAsync($"== {title}");
        await terminal.Error.WriteLineAsync($"$ buildtrust verify-commits --repo {repository} --trust-root {trustRoot[..12]} {range}");
        using var run = SourceGate.StartFromTrustRoot(repository, CommitRange.Parse(range), trustRoot, RepositoryParameters.DefaultPolicy);
        var exitCode = await new SourceGateReportWriter(terminal, json: false).WriteAsync(run.Scope, run.Verdicts(cancellationToken));
        var asExpected = exitCode == (expected == CheckStatus.Passed ? ExitCodes.Passed : ExitCodes.VerificationFailed);
        await terminal.Error.WriteLineAsync(asExpected ? "-> as expected" : $"-> UNEXPECTED: wanted {expected}");
        return asExpected;
    }
}
