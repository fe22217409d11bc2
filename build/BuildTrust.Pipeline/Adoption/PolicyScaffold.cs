using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Git;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Pipeline.Adoption;

/// <summary>
/// <c>buildtrust init</c>: scaffolds the policy an existing repository needs from the keys it already has (an allowed_signers
/// file, OpenPGP key files, the keyring's keys for the signers of recent commits, keys named on the command line), writes it
/// with its key files and comments, and loads it back strictly so that what is written is a policy BuildTrust accepts. It
/// never commits: the maintainer reviews, commits and signs it, and that commit becomes the trust root.
/// </summary>
public static partial class PolicyScaffold
{
    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex NotInId();

    private sealed record Candidate(string Maintainer, SshPublicKey? Ssh, OpenPgpKey? OpenPgp, byte[]? OpenPgpBytes, DateOnly? ValidUntil, string Source);

    public static AdoptionResult Scaffold(AdoptionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var workTree = Git(request.Repository, "rev-parse", "--show-toplevel") ?? throw new AdoptionException($"'{request.Repository}' is not inside a git repository with a working tree");
        var policyFile = Path.GetFullPath(Path.Combine(workTree, request.PolicyPath));
        PolicyDirectoryOf(request.PolicyPath);
        if (File.Exists(policyFile) && !request.Force) throw new AdoptionException($"{request.PolicyPath} exists already; check it with 'buildtrust policy check --policy {request.PolicyPath}', or give --force to replace it");

        var candidates = new List<Candidate>();
        var signersFile = request.AllowedSigners ?? Git(workTree, "config", "--get", "gpg.ssh.allowedSignersFile");
        if (signersFile is not null)
        {
            var path = signersFile.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), signersFile[2..]) : Path.GetFullPath(signersFile, workTree);
            foreach (var entry in AllowedSigners.Read(path).DistinctBy(e => e.Key))
                candidates.Add(new Candidate(IdFrom(entry.Principal), entry.Key, null, null, entry.ValidBefore, $"{path}:{entry.Line}"));
        }
        foreach (var file in request.OpenPgpKeyFiles)
        {
            var bytes = ReadKeyFile(file);
            var key = ParseOpenPgp(bytes, file);
            candidates.Add(new Candidate(IdFrom(key.UserIds.FirstOrDefault() ?? key.Fingerprint), null, key, bytes, null, file));
        }
        foreach (var given in request.Maintainers) candidates.Add(FromArgument(given));

        // The signers of recent commits: OpenPGP keys are looked up in the keyring and added; SSH keys not listed are reported only.
        var ids = Git(workTree, "log", $"-n{request.RecentCommits}", "--format=%H")?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var unsigned = 0;
        var sshSigners = new Dictionary<string, (SshPublicKey Key, int Commits)>(StringComparer.Ordinal);
        var pgpSigners = new Dictionary<long, int>();
        using (var source = GitCommitSource.Open(workTree))
        {
            foreach (var id in ids)
            {
                var signature = source.Read(id).Signature;
                if (signature is null)
                {
                    unsigned++;
                    continue;
                }
                try
                {
                    if (SshSignature.IsArmoredSshSignature(signature))
                    {
                        var key = SshPublicKey.FromBlob(SshSignature.Parse(signature).PublicKeyBlob);
                        sshSigners[key.Fingerprint] = (key, sshSigners.GetValueOrDefault(key.Fingerprint).Commits + 1);
                    }
                    else if (OpenPgpSignature.IsArmoredOpenPgpSignature(signature))
                    {
                        var keyId = OpenPgpSignature.Parse(signature).KeyId;
                        pgpSigners[keyId] = pgpSigners.GetValueOrDefault(keyId) + 1;
                    }
                }
                catch (Exception e) when (e is SshFormatException or OpenPgpFormatException)
                {
                    // A malformed signature names no key to scaffold; the gate reports such commits itself.
                }
            }
        }
        var unlisted = new List<UnlistedSigner>();
        foreach (var (keyId, commits) in pgpSigners)
        {
            if (candidates.Any(c => c.OpenPgp?.KeyIds.Contains(keyId) == true)) continue;
            var exported = ExportFromKeyring(workTree, request.Keyring, keyId);
            if (exported is null)
            {
                unlisted.Add(new UnlistedSigner("openpgp", $"{keyId:X16}", commits, "not in the keyring: import the signer's public key, or give it with --openpgp FILE"));
                continue;
            }
            var key = ParseOpenPgp(exported, $"the keyring's key {keyId:X16}");
            candidates.Add(new Candidate(IdFrom(key.UserIds.FirstOrDefault() ?? key.Fingerprint), null, key, exported, null, $"keyring ({commits} recent commit(s) signed)"));
        }
        foreach (var (fingerprint, (key, commits)) in sshSigners)
        {
            if (candidates.Any(c => c.Ssh?.Fingerprint == fingerprint)) continue;
            unlisted.Add(new UnlistedSigner("ssh", $"{key.Algorithm} {fingerprint}", commits, "in no allowed_signers file given: add it with --maintainer ID=KEY if it is a maintainer's"));
        }
        if (candidates.Count == 0)
            throw new AdoptionException("no maintainer key found: give --allowed-signers FILE (or set gpg.ssh.allowedSignersFile), --openpgp FILE, or --maintainer ID=KEY");

        candidates = [.. candidates.DistinctBy(c => c.Ssh?.Fingerprint ?? c.OpenPgp!.Fingerprint)];
        var maintainers = candidates.GroupBy(c => c.Maintainer).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var allSecurityKeys = candidates.All(c => c.Ssh is { IsSecurityKey: true });
        var require = request.Require ?? (allSecurityKeys ? "hardware" : "signed");
        if (require is not ("hardware" or "attested-hardware" or "signed")) throw new AdoptionException($"--require '{require}': give hardware, attested-hardware or signed");
        var reviews = request.Reviews ?? (maintainers.Count >= 2 ? 1 : 0);
        if (reviews < 0 || request.PolicyChanges < 1) throw new AdoptionException("--reviews must be 0 or more and --policy-changes 1 or more");

        var directory = Path.GetDirectoryName(policyFile)!;
        var relativeDirectory = Path.GetDirectoryName(request.PolicyPath)!.Replace('\\', '/');
        var written = new List<string>();
        var found = new List<FoundKey>();
        var yaml = new StringBuilder();
        Header(yaml, require, reviews, request, allSecurityKeys);
        yaml.AppendLine("maintainers:");
        foreach (var maintainer in maintainers)
        {
            yaml.AppendLine($"  - id: {maintainer.Key}");
            yaml.AppendLine("    roles: [author, reviewer, policy-admin]");
            yaml.AppendLine("    keys:");
            var n = 0;
            foreach (var candidate in maintainer)
            {
                var commits = candidate.Ssh is { } s ? sshSigners.GetValueOrDefault(s.Fingerprint).Commits : candidate.OpenPgp!.KeyIds.Sum(k => pgpSigners.GetValueOrDefault(k));
                if (candidate.Ssh is { } ssh)
                {
                    var line = $"{ssh.Algorithm} {Convert.ToBase64String(ssh.Blob)} {maintainer.Key}";
                    yaml.AppendLine($"      # {Missing(ssh, null).Hardware}; from {Comment(candidate.Source)}");
                    yaml.AppendLine($"      - ssh: \"{line}\"");
                    if (candidate.ValidUntil is { } until) yaml.AppendLine($"        valid-until: {until:yyyy-MM-dd}");
                    var (hardware, missing) = Missing(ssh, null);
                    found.Add(new FoundKey(maintainer.Key, ssh.Algorithm, ssh.Fingerprint, candidate.Source, line, ssh.IsSecurityKey, missing, commits));
                }
                else
                {
                    var name = n++ == 0 ? $"{maintainer.Key}.asc" : $"{maintainer.Key}-{n}.asc";
                    var relative = $"keys/{name}";
                    Directory.CreateDirectory(Path.Combine(directory, "keys"));
                    File.WriteAllBytes(Path.Combine(directory, "keys", name), candidate.OpenPgpBytes!);
                    written.Add($"{relativeDirectory}/{relative}");
                    var (hardware, missing) = Missing(null, candidate.OpenPgp);
                    yaml.AppendLine($"      # OpenPGP {candidate.OpenPgp!.KeyType} {candidate.OpenPgp.Fingerprint}: {hardware}; from {Comment(candidate.Source)}");
                    yaml.AppendLine($"      - openpgp: {relative}");
                    found.Add(new FoundKey(maintainer.Key, candidate.OpenPgp.KeyType, candidate.OpenPgp.Fingerprint, candidate.Source, relative, false, missing, commits));
                }
            }
        }
        Directory.CreateDirectory(directory);
        File.WriteAllText(policyFile, yaml.ToString(), new UTF8Encoding(false));
        written.Insert(0, request.PolicyPath.Replace('\\', '/'));
        try
        {
            PolicyLoader.Load(policyFile);
        }
        catch (PolicyException e)
        {
            foreach (var file in written) File.Delete(Path.Combine(workTree, file));
            throw new AdoptionException($"the scaffolded policy does not load ({e.Message}); nothing was left written: fix the keys given, or report this");
        }
        return new AdoptionResult(workTree, request.PolicyPath.Replace('\\', '/'), written, found, unlisted, require, reviews, request.PolicyChanges, ids.Length, unsigned);
    }

    private static void Header(StringBuilder yaml, string require, int reviews, AdoptionRequest request, bool allSecurityKeys)
    {
        yaml.AppendLine("# BuildTrust policy, scaffolded by 'buildtrust init'. Review it, then commit and sign it: that commit is the trust root.");
        yaml.AppendLine("# Every later change to this folder (this file and the key files beside it) needs policy-admin approval.");
        yaml.AppendLine("# Check it at any time with: buildtrust policy check --policy THIS-FILE");
        yaml.AppendLine("version: 1");
        yaml.AppendLine("commits:");
        yaml.AppendLine(allSecurityKeys || require != "signed"
            ? "  # hardware: a FIDO security key's touch on every signature, or a vendor attestation ('attestation:') for other keys."
            : "  # signed: any valid signature by a listed key. Not every key found has hardware evidence yet; once each has\n" +
              "  # (a FIDO security key, or 'attestation:' with its vendor attestation), change this to hardware.");
        yaml.AppendLine($"  require: {require}");
        yaml.AppendLine("  # Approvals needed from maintainers other than the author: signed notes ('buildtrust review approve') or a signed merge.");
        yaml.AppendLine($"  reviews: {reviews}");
        yaml.AppendLine("  # Distinct policy-admins who must sign or approve a commit that changes this folder.");
        yaml.AppendLine($"  policy-changes: {request.PolicyChanges}");
        yaml.AppendLine("# Builders, build and release are left out: add them when the project releases through BuildTrust's rebuilders.");
    }

    /// <summary>Whether the key is hardware as it stands, and what evidence a <c>require: hardware</c> policy would still need.</summary>
    private static (string Hardware, string Missing) Missing(SshPublicKey? ssh, OpenPgpKey? openPgp) => ssh switch
    {
        { IsSecurityKey: true } => ("FIDO security key: each signature carries its touch",
            "nothing for require: hardware; for attested-hardware, its enrollment attestation (ssh-keygen -O challenge=FILE -O write-attestation=FILE at enrollment)"),
        not null => ($"{ssh.Algorithm}: no hardware evidence (could be a software key)",
            "for require: hardware, its vendor attestation ('attestation:', for a YubiKey PIV slot: yubico-piv-tool -a attest -s SLOT, then -a read-certificate -s f9), or a FIDO security key (sk-*) instead"),
        _ => ($"{openPgp!.KeyType}: no hardware evidence (could be a software key)",
            "for require: hardware, its OpenPGP card attestation ('attestation:', for a YubiKey: ykman openpgp keys attest sig FILE, then the OpenPGP attestation certificate)"),
    };

    private static Candidate FromArgument(string given)
    {
        var equals = given.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new AdoptionException($"--maintainer '{given}': expected ID=KEY (an SSH public key line, a .pub file or an OpenPGP key file)");
        var id = given[..equals];
        if (!Regex.IsMatch(id, "^[a-z0-9][a-z0-9._-]{0,63}$")) throw new AdoptionException($"--maintainer '{id}': a maintainer id is lowercase letters, digits, '.', '_' and '-'");
        var value = given[(equals + 1)..].Trim();
        if (value.StartsWith("ssh-", StringComparison.Ordinal) || value.StartsWith("sk-", StringComparison.Ordinal) || value.StartsWith("ecdsa-", StringComparison.Ordinal))
            return new Candidate(id, ParseSsh(value, $"--maintainer {id}"), null, null, null, "--maintainer");
        var bytes = ReadKeyFile(value);
        var text = Encoding.UTF8.GetString(bytes).Trim();
        if (text.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal) || (bytes.Length > 0 && (bytes[0] & 0x80) != 0))
            return new Candidate(id, null, ParseOpenPgp(bytes, value), bytes, null, value);
        return new Candidate(id, ParseSsh(text.Split('\n')[0], value), null, null, null, value);
    }

    private static SshPublicKey ParseSsh(string line, string what)
    {
        try
        {
            return SshPublicKey.Parse(line);
        }
        catch (SshFormatException e)
        {
            throw new AdoptionException($"{what}: not an SSH public key: {e.Message}");
        }
    }

    private static OpenPgpKey ParseOpenPgp(byte[] bytes, string what)
    {
        try
        {
            return OpenPgpKey.Parse(bytes);
        }
        catch (OpenPgpFormatException e)
        {
            throw new AdoptionException($"{what}: not a usable OpenPGP public key: {e.Message}");
        }
    }

    private static byte[] ReadKeyFile(string path)
    {
        try
        {
            return UntrustedFile.ReadAll(path, OpenPgpKey.MaximumKeyFileBytes);
        }
        catch (UntrustedFileException e)
        {
            throw new AdoptionException(e.Message);
        }
    }

    private static byte[]? ExportFromKeyring(string workTree, string? keyring, long keyId)
    {
        var environment = keyring is null ? null : new Dictionary<string, string> { ["GNUPGHOME"] = Path.GetFullPath(keyring) };
        var program = Git(workTree, "config", "--get", "gpg.openpgp.program") ?? Git(workTree, "config", "--get", "gpg.program") ?? "gpg";
        ProcessResult exported;
        try
        {
            exported = ExternalProcess.Run(program, ["--batch", "--armor", "--export-options", "export-minimal", "--export", $"{keyId:X16}"], workTree, environment: environment, timeout: TimeSpan.FromMinutes(1));
        }
        catch (ToolUnavailableException)
        {
            return null;
        }
        return exported.ExitCode == 0 && exported.StandardOutput.Contains("BEGIN PGP PUBLIC KEY BLOCK", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(exported.StandardOutput) : null;
    }

    /// <summary>A maintainer id from a principal or user id: the e-mail's local part, else the name, lowercased to the id alphabet.</summary>
    public static string IdFrom(string name)
    {
        var email = Regex.Match(name, "<([^@>]+)@").Groups[1].Value;
        var basis = email.Length > 0 ? email : name.Contains('@', StringComparison.Ordinal) ? name[..name.IndexOf('@', StringComparison.Ordinal)] : name;
        var id = NotInId().Replace(basis.ToLowerInvariant(), "-").Trim('-', '.', '_');
        if (id.Length > 64) id = id[..64];
        return id.Length == 0 || !char.IsAsciiLetterOrDigit(id[0]) ? $"maintainer-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8]}" : id;
    }

    private static string Comment(string source) => source.Replace('\n', ' ').Replace('\r', ' ');

    private static void PolicyDirectoryOf(string policyPath)
    {
        var normalised = policyPath.Replace('\\', '/');
        if (!normalised.Contains('/', StringComparison.Ordinal) || normalised.StartsWith('/') || normalised.Split('/').Any(p => p is "" or "." or ".."))
            throw new AdoptionException($"--policy '{policyPath}': the policy lives in its own folder inside the repository (for example policies/release.yaml): that folder, with its key files, is the policy");
    }

    private static string? Git(string directory, params string[] arguments)
    {
        var run = ExternalProcess.Run("git", arguments, directory, timeout: TimeSpan.FromMinutes(2));
        return run.ExitCode == 0 && run.StandardOutput.Trim() is { Length: > 0 } output ? output : null;
    }
}
