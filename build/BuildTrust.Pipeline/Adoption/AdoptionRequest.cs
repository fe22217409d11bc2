namespace BuildTrust.Pipeline.Adoption;

/// <summary>What <c>buildtrust init</c> scaffolds from.</summary>
/// <param name="Repository">A folder inside the repository to adopt.</param>
/// <param name="PolicyPath">Where to write the policy, relative to the working tree (its folder holds the key files).</param>
/// <param name="AllowedSigners">An OpenSSH allowed_signers file; null for git's <c>gpg.ssh.allowedSignersFile</c>, if set.</param>
/// <param name="OpenPgpKeyFiles">OpenPGP public key files, each a maintainer (named from its user id's e-mail).</param>
/// <param name="Maintainers"><c>ID=KEY</c>: an SSH public key line, an SSH <c>.pub</c> file, or an OpenPGP public key file.</param>
/// <param name="Keyring">The GnuPG home to look the OpenPGP signers of recent commits up in (null: gpg's default).</param>
/// <param name="RecentCommits">How many commits from HEAD to look at for signers.</param>
/// <param name="Require"><c>hardware</c>, <c>attested-hardware</c> or <c>signed</c>; null to choose from the keys found.</param>
/// <param name="Reviews">Approvals per commit; null for 1 with two maintainers or more, else 0.</param>
public sealed record AdoptionRequest(
    string Repository,
    string PolicyPath,
    string? AllowedSigners,
    IReadOnlyList<string> OpenPgpKeyFiles,
    IReadOnlyList<string> Maintainers,
    string? Keyring,
    int RecentCommits,
    string? Require,
    int? Reviews,
    int PolicyChanges,
    bool Force);
