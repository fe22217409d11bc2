using System.Text;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Commits.Reviews;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Pipeline.Reviews;

/// <summary>
/// Writes a review approval: signs the approval record with the reviewer's key the way git signs commits
/// (SSH through ssh-keygen, so FIDO keys, agents and PINs work; OpenPGP through gpg, so smartcards work) and
/// appends it to the commit's review note.
/// </summary>
public static class ReviewApprover
{
    /// <param name="key">An SSH private or public key file (the agent signs), or null for git's <c>user.signingkey</c> and <c>gpg.format</c>.</param>
    public static WrittenApproval Approve(string repository, string revision, string? key)
    {
        if (!Directory.Exists(repository)) throw new ReviewApprovalException($"{repository}: no such folder");
        var commit = Git(repository, "rev-parse", "--verify", "--quiet", "--end-of-options", $"{revision}^{{commit}}")
            ?? throw new ReviewApprovalException($"unknown revision '{revision}'");
        var format = Git(repository, "config", "--get", "gpg.format") ?? "openpgp";
        if (key is null && format == "openpgp") return ApproveWithGpg(repository, commit);
        using var literalKey = new TemporaryKeyFile();
        var keyPath = key ?? ConfiguredKey(repository, format, literalKey);
        var program = Git(repository, "config", "--get", "gpg.ssh.program") ?? "ssh-keygen";

        var record = ReviewApproval.Record(commit);
        var signed = ExternalProcess.Run(program, ["-Y", "sign", "-n", ReviewApproval.Namespace, "-f", keyPath], repository, record, timeout: TimeSpan.FromMinutes(2));
        if (signed.ExitCode != 0) throw new ReviewApprovalException($"{program} could not sign with {keyPath}: {signed.StandardError.Trim()}");

        var signature = SshSignature.Parse(signed.StandardOutput);
        var signer = SshPublicKey.FromBlob(signature.PublicKeyBlob);
        var check = SshSignatureVerifier.Verify(signer, signature, record, ReviewApproval.Namespace);
        if (!check.IsValid) throw new ReviewApprovalException($"{program} produced a signature that does not verify: {check.Failure}");

        AppendNote(repository, commit, signed.StandardOutput);
        return new WrittenApproval(commit, signer.Algorithm, signer.Fingerprint, signed.StandardOutput);
    }

    /// <summary>A detached armored OpenPGP signature by git's <c>user.signingkey</c> (or gpg's default key) over the approval record.</summary>
    private static WrittenApproval ApproveWithGpg(string repository, string commit)
    {
        var program = Git(repository, "config", "--get", "gpg.openpgp.program") ?? Git(repository, "config", "--get", "gpg.program") ?? "gpg";
        var configured = Git(repository, "config", "--get", "user.signingkey");
        List<string> arguments = ["--batch", "--armor", "--detach-sign"];
        if (configured is not null) arguments.AddRange(["--local-user", configured]);
        var signed = ExternalProcess.Run(program, arguments, repository, ReviewApproval.Record(commit), timeout: TimeSpan.FromMinutes(2));
        if (signed.ExitCode != 0) throw new ReviewApprovalException($"{program} could not sign: {signed.StandardError.Trim()}");
        OpenPgpSignature signature;
        try
        {
            signature = OpenPgpSignature.Parse(signed.StandardOutput);
        }
        catch (OpenPgpFormatException e)
        {
            throw new ReviewApprovalException($"{program} produced no usable signature: {e.Message}");
        }
        AppendNote(repository, commit, signed.StandardOutput);
        return new WrittenApproval(commit, "openpgp", $"{signature.KeyId:X16}", signed.StandardOutput);
    }

    private static void AppendNote(string repository, string commit, string signature)
    {
        var appended = ExternalProcess.Run("git", ["notes", $"--ref={ReviewApproval.NotesReference}", "append", "-F", "-", "--end-of-options", commit], repository, Encoding.ASCII.GetBytes(signature));
        if (appended.ExitCode != 0) throw new ReviewApprovalException($"git notes could not record the approval: {appended.StandardError.Trim()}");
    }

    private static string ConfiguredKey(string repository, string format, TemporaryKeyFile literalKey)
    {
        var configured = Git(repository, "config", "--get", "user.signingkey")
            ?? throw new ReviewApprovalException("no signing key: set git's user.signingkey (with gpg.format=ssh, or OpenPGP) or pass --key FILE");
        if (format != "ssh")
            throw new ReviewApprovalException($"git's gpg.format is '{format}'; review approvals are SSH or OpenPGP signatures: set gpg.format=ssh or openpgp, or pass --key FILE");
        if (configured.StartsWith("key::", StringComparison.Ordinal)) return literalKey.Write(configured["key::".Length..]);
        if (configured.StartsWith("ssh-", StringComparison.Ordinal) || configured.StartsWith("sk-", StringComparison.Ordinal) || configured.StartsWith("ecdsa-", StringComparison.Ordinal))
            return literalKey.Write(configured);
        return configured.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), configured[2..])
            : configured;
    }

    private static string? Git(string repository, params string[] arguments)
    {
        var result = ExternalProcess.Run("git", arguments, repository);
        var output = result.StandardOutput.Trim();
        return result.ExitCode == 0 && output.Length > 0 ? output : null;
    }

    /// <summary>A public key given literally in git's config, written to a file so ssh-keygen can ask the agent.</summary>
    private sealed class TemporaryKeyFile : IDisposable
    {
        private string? _path;

        public string Write(string publicKeyLine)
        {
            _path = Path.Combine(Path.GetTempPath(), $"buildtrust-review-{Guid.NewGuid():N}.pub");
            File.WriteAllText(_path, publicKeyLine.Trim() + "\n", Encoding.ASCII);
            return _path;
        }

        public void Dispose()
        {
            if (_path is not null) File.Delete(_path);
        }
    }
}
