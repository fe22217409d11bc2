using BuildTrust.Pipeline.Processes;
using System.Text;

namespace BuildTrust.Testing.Tools;

/// <summary>The real verifiers, wrapped once: fixtures are checked with them so they cannot drift from the real formats.</summary>
public static class ReferenceVerifiers
{
    /// <summary><c>ssh-keygen -Y verify</c>: true when OpenSSH accepts the signature.</summary>
    public static ProcessResult SshKeygenVerify(string publicKeyLine, string @namespace, string armoredSignature, byte[] message)
    {
        using var directory = new TemporaryDirectory("buildtrust-sshverify-");
        var allowedSigners = directory.Combine("allowed_signers");
        File.WriteAllText(allowedSigners, $"signer@test {publicKeyLine}\n");
        var signaturePath = directory.Combine("message.sig");
        File.WriteAllText(signaturePath, armoredSignature, Encoding.ASCII);
        return ExternalProcess.Run("ssh-keygen",
            ["-Y", "verify", "-f", allowedSigners, "-I", "signer@test", "-n", @namespace, "-s", signaturePath],
            standardInput: message);
    }

    /// <summary><c>git verify-commit</c> with an allowed-signers file holding <paramref name="publicKeyLines"/>.</summary>
    public static ProcessResult GitVerifyCommit(string repository, string commit, params string[] publicKeyLines)
    {
        var allowedSigners = Path.Combine(repository, ".git", "buildtrust-allowed-signers");
        File.WriteAllLines(allowedSigners, publicKeyLines.Select(line => $"signer@test {line}"));
        return ExternalProcess.Run("git", ["-c", $"gpg.ssh.allowedSignersFile={allowedSigners}", "verify-commit", "--raw", "--end-of-options", commit], repository);
    }
}
