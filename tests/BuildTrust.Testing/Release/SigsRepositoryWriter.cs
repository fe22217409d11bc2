using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Git;

namespace BuildTrust.Testing.Release;

/// <summary>
/// A sigs repository as builders keep one: each commits <c>&lt;commit&gt;/&lt;builder&gt;/provenance.sigstore.json</c>, signed by
/// real git and ssh-keygen with its provenance key (PEM, with the OpenSSH public key beside it, as git needs).
/// </summary>
public sealed class SigsRepositoryWriter : IDisposable
{
    private readonly TestRepository repository = TestRepository.Create();

    public string Path => repository.Path;

    public TestRepository Repository => repository;

    /// <summary>Commits the bundle as <paramref name="folder"/>'s, signed with <paramref name="signingKeyPem"/> (null: unsigned); returns the commit id.</summary>
    public string Commit(string builtCommit, string folder, byte[] bundle, string? signingKeyPem, string message = "attestation")
    {
        var target = System.IO.Path.Combine(repository.Path, builtCommit, folder, "provenance.sigstore.json");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, bundle);
        repository.Git("add", "-A");
        if (signingKeyPem is null)
        {
            repository.Git("commit", "-q", "-m", message);
        }
        else
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(signingKeyPem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (!File.Exists(signingKeyPem + ".pub"))
                File.WriteAllText(signingKeyPem + ".pub", ExternalProcess.Run("ssh-keygen", ["-y", "-f", signingKeyPem]).ThrowOnFailure().StandardOutput);
            repository.Git("-c", "gpg.format=ssh", "-c", $"user.signingkey={signingKeyPem}", "commit", "-q", "-S", "-m", message);
        }
        return repository.Head;
    }

    public void Dispose() => repository.Dispose();
}
