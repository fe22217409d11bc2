using System.CommandLine;
using System.Text.Json;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Adoption;
using BuildTrust.Verifiers.Commits.Reviews;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust init</c>: scaffolds the policy for an existing repository from the keys it already has.</summary>
public static class InitCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository to adopt (default: the current directory).", DefaultValueFactory = _ => "." };
        var policy = new Option<string>("--policy") { Description = $"Where to write the policy, relative to the working tree (default {RepositoryParameters.DefaultPolicy}); key files go beside it.", DefaultValueFactory = _ => RepositoryParameters.DefaultPolicy };
        var allowedSigners = new Option<string?>("--allowed-signers") { Description = "An OpenSSH allowed_signers file whose keys are the maintainers' (default: git's gpg.ssh.allowedSignersFile, if set)." };
        var openPgp = new Option<string[]>("--openpgp") { Description = "An OpenPGP public key file of a maintainer (repeatable); the id comes from its user id's e-mail.", AllowMultipleArgumentsPerToken = false };
        var maintainer = new Option<string[]>("--maintainer") { Description = "ID=KEY: a maintainer's SSH public key line, .pub file or OpenPGP key file (repeatable)." };
        var keyring = new Option<string?>("--keyring") { Description = "The GnuPG home where the OpenPGP signers of recent commits are looked up (default: gpg's, $GNUPGHOME or ~/.gnupg)." };
        var recent = new Option<int>("--recent") { Description = "How many commits from HEAD to look at for signers (default 500).", DefaultValueFactory = _ => 500 };
        var require = new Option<string?>("--require") { Description = "hardware, attested-hardware or signed (default: hardware when every key is a FIDO security key, else signed)." };
        var reviews = new Option<int?>("--reviews") { Description = "Approvals per commit by other maintainers (default: 1 with two maintainers or more, else 0)." };
        var policyChanges = new Option<int>("--policy-changes") { Description = "Policy-admins who must approve a policy change (default 1).", DefaultValueFactory = _ => 1 };
        var force = new Option<bool>("--force") { Description = "Replace an existing policy file." };
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var command = new Command("init",
            "Scaffold what the source gate needs in an existing repository, without asking anything: the maintainers from the keys it already has " +
            "(an allowed_signers file, OpenPGP key files, the keyring's keys for the OpenPGP signers of recent commits, --maintainer ID=KEY), " +
            $"{RepositoryParameters.DefaultPolicy} with comments and the key files beside it. Reports for each key whether it is hardware and what evidence is missing, " +
            "then prints the commands that commit the policy (its commit is the trust root), record the trust root in CI, approve and verify. Nothing is committed.")
        {
            repo, policy, allowedSigners, openPgp, maintainer, keyring, recent, require, reviews, policyChanges, force, json,
        };
        command.SetAction((parse, _) => RunAsync(terminal, new InitOptions(new AdoptionRequest(parse.GetValue(repo)!, parse.GetValue(policy)!, parse.GetValue(allowedSigners),
            parse.GetValue(openPgp) ?? [], parse.GetValue(maintainer) ?? [], parse.GetValue(keyring), parse.GetValue(recent), parse.GetValue(require), parse.GetValue(reviews),
            parse.GetValue(policyChanges), parse.GetValue(force)), parse.GetValue(json))));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, InitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = PolicyScaffold.Scaffold(options.Request);
        var text = terminal.Error;
        await text.WriteLineAsync($"Looked at {result.RecentCommits} recent commit(s) in {result.WorkTree}: {result.UnsignedCommits} unsigned.");
        await text.WriteLineAsync("Maintainers and keys:");
        foreach (var key in result.Keys)
        {
            await text.WriteLineAsync($"  {key.Maintainer,-12} {key.Type} {key.Fingerprint}  ({key.Source}{(key.Commits > 0 ? $"; signed {key.Commits} recent commit(s)" : "")})");
            await text.WriteLineAsync($"  {"",-12} {(key.Hardware ? "hardware: yes, a FIDO security key" : "hardware: NO evidence yet")}; missing: {key.MissingEvidence}");
        }
        foreach (var signer in result.Unlisted)
            await text.WriteLineAsync($"  NOT ADDED    {signer.Kind} {signer.Key} signed {signer.Commits} recent commit(s): {signer.Why}");
        await text.WriteLineAsync();
        await text.WriteLineAsync($"Wrote {string.Join(", ", result.WrittenFiles)} (require: {result.Require}, reviews: {result.Reviews}, policy-changes: {result.PolicyChanges}).");
        await text.WriteLineAsync();
        var steps = NextSteps(result);
        await text.WriteLineAsync("Next steps:");
        foreach (var step in steps) await text.WriteLineAsync($"  {step}");
        if (options.Json)
        {
            await terminal.Out.WriteLineAsync(JsonSerializer.Serialize(new { schema = "https://buildtrust.invalid/schemas/init/v1", result, nextSteps = steps, exitCode = ExitCodes.Passed }, JsonReport.Options));
        }
        return ExitCodes.Passed;
    }

    /// <summary>The exact commands from a scaffolded policy to a verified range.</summary>
    public static IReadOnlyList<string> NextSteps(AdoptionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var folder = Path.GetDirectoryName(result.PolicyFile)!.Replace('\\', '/');
        List<string> steps =
        [
            $"buildtrust policy check --policy {result.PolicyFile}                  # what each key proves, and any rule that can never be met",
            $"git add {folder} && git commit -S -m \"Adopt BuildTrust\"             # signed by a maintainer's key listed in the policy",
            "ROOT=$(git rev-parse HEAD)                                             # the trust root: the commit that adopted the policy",
            "git push origin HEAD",
            "# record the trust root where a pull request cannot change it: a protected CI variable BUILDTRUST_TRUST_ROOT=$ROOT,",
            $"# or {RepositoryParameters.RelativePath} with {{\"TrustRoot\": \"$ROOT\"}} committed on the protected branch, read with --trusted-ref refs/remotes/origin/main",
        ];
        if (result.Reviews > 0)
        {
            steps.Add($"buildtrust review approve COMMIT && git push origin {ReviewApproval.NotesReference}   # a reviewer approves each new commit");
        }
        steps.Add("buildtrust verify-commits --trust-root $ROOT $ROOT..HEAD              # the gate over everything since the adoption");
        return steps;
    }
}
