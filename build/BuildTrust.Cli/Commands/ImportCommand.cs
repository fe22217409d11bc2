using System.CommandLine;
using System.Security.Cryptography;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Imports;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust import guix-sigs|tor|rebuilderd DIR</c>: evaluates the rebuild attestations other ecosystems publish, with compare's quorum.</summary>
public static class ImportCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var import = new Command("import",
            "Evaluate rebuild attestations that others already publish (Bitcoin Core's guix.sigs, Tor Browser's builders' signed sums, rebuilderd's " +
            "in-toto links) with the same quorum logic as 'compare': each signer's signature verdict (good, bad, unknown key, expired, refused by " +
            "BuildTrust's OpenPGP rules, malformed, with the reason), the distinct digest sets and who holds each, and the quorum per group. The keys " +
            "decide whose attestations count, so they come from a folder you trust (--keys), never implicitly from the data. Exit 0 when every group " +
            "reaches the quorum, 1 otherwise, 2 for bad input.");
        import.Subcommands.Add(Format(terminal, "guix-sigs", "A guix.sigs repository: <version>/<signer>/{noncodesigned,all}.SHA256SUMS with .asc signatures; keys as in its builder-keys/<signer>.gpg.", version: true));
        import.Subcommands.Add(Format(terminal, "tor", "Tor Browser builders' sha256sums-{unsigned,signed}-build.txt with a .asc per builder (<list>.asc-<builder> beside one list, or <builder>/<list> and <list>.asc), optionally per version folder; keys as <builder>.asc."));
        import.Subcommands.Add(Format(terminal, "rebuilderd", "rebuilderd's in-toto v0.9 link attestations (*.json, *.link), signed by the rebuilder and countersigned by the daemon where present; keys: the rebuilders' Ed25519 public keys as <rebuilder>.pem.", daemon: true));
        return import;
    }

    private static Command Format(CliTerminal terminal, string name, string description, bool version = false, bool daemon = false)
    {
        var directory = new Argument<string>("dir") { Description = "The folder of published attestations." };
        var keys = new Option<string>("--keys") { Description = "The folder of the signers' public keys, one file per signer named after it (a folder you trust).", Required = true };
        var quorum = new Option<int>("--quorum") { Description = "Signers with identical complete digest sets needed per group (default 2).", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var vsa = new Option<string?>("--vsa") { Description = "Write the verdict as an in-toto Verification Summary (DSSE, Sigstore bundle) to this file, signed with --vsa-key." };
        var vsaKey = new Option<string?>("--vsa-key") { Description = "The key that signs the VSA: an ECDSA P-256 PEM file or a pkcs11: URI." };
        var command = new Command(name, description) { directory, keys, quorum, json, vsa, vsaKey };
        var versionOption = new Option<string?>("--version") { Description = "Only this version (default: every version in the repository)." };
        var daemonKey = new Option<string?>("--daemon-key") { Description = "The rebuilderd daemon's public key (PEM): its countersignatures are reported." };
        var requireCountersignature = new Option<bool>("--require-countersignature") { Description = "Count a rebuilder's link only when the daemon countersigned it (needs --daemon-key)." };
        if (version) command.Options.Add(versionOption);
        if (daemon)
        {
            command.Options.Add(daemonKey);
            command.Options.Add(requireCountersignature);
        }
        command.SetAction((parse, _) => RunAsync(terminal, new ImportOptions(name, parse.GetValue(directory)!, parse.GetValue(keys)!, parse.GetValue(quorum),
            version ? parse.GetValue(versionOption) : null, daemon ? parse.GetValue(daemonKey) : null, daemon && parse.GetValue(requireCountersignature),
            parse.GetValue(json), parse.GetValue(vsa), parse.GetValue(vsaKey))));
        return command;
    }

    public static async Task<int> RunAsync(CliTerminal terminal, ImportOptions options)
    {
        if (options.Quorum < 1) throw new CliInputException("--quorum must be at least 1");
        if ((options.Vsa is null) != (options.VsaKey is null)) throw new CliInputException("--vsa and --vsa-key go together");
        if (options.RequireCountersignature && options.DaemonKey is null) throw new CliInputException("--require-countersignature needs --daemon-key");
        // Opened first, so that a wrong key or token fails before the evaluation rather than after it.
        using var vsaSigner = options.VsaKey is null ? null : OpenVsaSigner(options.VsaKey);
        var (report, keysDigest) = Evaluate(options);
        await ImportReportWriter.WriteTextAsync(terminal.Error, report);
        if (vsaSigner is not null) await WriteVsaAsync(terminal, options, report, keysDigest, vsaSigner);
        if (options.Json) await ImportReportWriter.WriteJsonAsync(terminal.Out, report);
        return report.Passed ? ExitCodes.Passed : ExitCodes.VerificationFailed;
    }

    private static (ImportReport Report, string KeysDigest) Evaluate(ImportOptions options)
    {
        var now = DateTimeOffset.UtcNow;
        switch (options.Format)
        {
            case "rebuilderd":
                var rebuilders = Ed25519Keyring.Load(options.Keys);
                Ed25519Keyring? daemon = null;
                if (options.DaemonKey is { } daemonFile)
                {
                    var folder = Directory.CreateTempSubdirectory("buildtrust-daemon-key-");
                    try
                    {
                        File.WriteAllBytes(Path.Combine(folder.FullName, "daemon.pem"), UntrustedFile.ReadAll(daemonFile, 64 * 1024));
                        daemon = Ed25519Keyring.Load(folder.FullName);
                    }
                    finally
                    {
                        folder.Delete(recursive: true);
                    }
                }
                return (ImportEvaluator.Evaluate("rebuilderd", options.Quorum, RebuilderdLinks.Verify(options.Directory, rebuilders, daemon, options.RequireCountersignature), []),
                    rebuilders.Digest);
            default:
                var keyring = SignerKeyring.Load(options.Keys);
                var entries = options.Format == "tor" ? TorBrowserLayout.Find(options.Directory) : GuixSigsLayout.Find(options.Directory, options.Version);
                var problems = entries.Count == 0 ? [$"{options.Directory}: no attestations found in the {options.Format} layout"] : new List<string>();
                return (ImportEvaluator.Evaluate(options.Format, options.Quorum, SignedSumsFiles.Verify(options.Directory, entries, keyring, now), problems), keyring.Digest);
        }
    }

    /// <summary>A VSA key may be a PKCS#11 token, which only the JIT build reaches: the native executable hands --vsa over (JitCommands.Handle).</summary>
    private static IDigestSigner OpenVsaSigner(string key) =>
        JitCommands.Included ? SigningKeys.Open(key, requireHardware: false) : throw new InvalidOperationException("import --vsa runs in the framework-dependent build");

    /// <summary>The import's verdict as a SLSA VSA: the agreed artifacts of every group that reached the quorum, the attestations read, the keys and quorum judged by.</summary>
    private static async Task WriteVsaAsync(CliTerminal terminal, ImportOptions options, ImportReport report, string keysDigest, IDigestSigner signer)
    {
        var inputs = report.Groups.SelectMany(g => g.Attestations).SelectMany(a => a.Files).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(file => new StatementSubject(file, Convert.ToHexStringLower(SHA256.HashData(UntrustedFile.ReadAll(Path.Combine(options.Directory, file), 64 << 20))))).ToList();
        var subjects = report.Groups.Where(g => g.Quorum.Agreed is not null)
            .SelectMany(g => g.Quorum.Agreed!.Select(a => new StatementSubject($"{g.Group}/{a.Key}", a.Value)))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var policyDigest = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"buildtrust import {options.Format}\nquorum {options.Quorum}\nkeys {keysDigest}\n")));
        var claims = new VerificationSummaryClaims($"https://buildtrust.dev/verifier/import/{options.Format}", DateTimeOffset.UtcNow,
            new Uri(Path.GetFullPath(options.Directory)).AbsoluteUri, new Uri(Path.GetFullPath(options.Keys)).AbsoluteUri, policyDigest, inputs, report.Passed,
            [$"BUILDTRUST_IMPORT_QUORUM_{options.Quorum}"], subjects);
        var bundle = BundleWriter.WriteDsse(InTotoStatements.WriteVerificationSummary(claims), Dsse.InTotoPayloadType, signer);
        var partial = options.Vsa + ".partial";
        await File.WriteAllBytesAsync(partial, bundle);
        File.Move(partial, options.Vsa!, overwrite: true);
        await terminal.Error.WriteLineAsync($"verdict written as a signed VSA to {options.Vsa} ({subjects.Count} agreed artifact(s), {inputs.Count} input file(s))");
    }
}
