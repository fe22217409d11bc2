using BuildTrust.Verifiers.Files;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// Digest lists signed with detached OpenPGP signatures, as Bitcoin Core's guix.sigs and Tor Browser's builders publish them:
/// each signer's list and signature found by a layout (<see cref="GuixSigsLayout"/>, <see cref="TorBrowserLayout"/>), read
/// bounded and without following links, verified in parallel with the signers' keys.
/// </summary>
public static class SignedSumsFiles
{
    /// <summary>One signer's list and signature, as a layout finds them (either may be missing).</summary>
    public sealed record Entry(string Group, string Signer, string? SumsPath, string? SignaturePath);

    /// <remarks>Parallel.For rather than PLINQ: PLINQ's generic machinery is compiled at start-up, which costs more than it saves here.</remarks>
    public static IReadOnlyList<ImportedAttestation> Verify(string root, IReadOnlyList<Entry> entries, SignerKeyring keyring, DateTimeOffset now)
    {
        var results = new ImportedAttestation[entries.Count];
        Parallel.For(0, entries.Count, i => results[i] = Check(root, entries[i], keyring, now));
        return results;
    }

    private static ImportedAttestation Check(string root, Entry entry, SignerKeyring keyring, DateTimeOffset now)
    {
        var files = new List<string>(2);
        if (entry.SumsPath is not null) files.Add(Path.GetRelativePath(root, entry.SumsPath));
        if (entry.SignaturePath is not null) files.Add(Path.GetRelativePath(root, entry.SignaturePath));
        ImportedAttestation Result(AttestationVerdict verdict, string reason, IReadOnlyDictionary<string, string>? artifacts = null, string? key = null) =>
            new(entry.Group, entry.Signer, files, verdict, reason, artifacts ?? new Dictionary<string, string>(), key);
        if (entry.SumsPath is null) return Result(AttestationVerdict.Malformed, "a signature without the digest list it signs");
        if (entry.SignaturePath is null) return Result(AttestationVerdict.Malformed, "a digest list without a signature");
        byte[] sums, signature;
        try
        {
            sums = UntrustedFile.ReadListedFile(entry.SumsPath, Sha256Sums.MaximumBytes);
            signature = UntrustedFile.ReadListedFile(entry.SignaturePath, 64 * 1024);
        }
        catch (UntrustedFileException e)
        {
            return Result(AttestationVerdict.Malformed, e.Message);
        }
        var artifacts = Sha256Sums.Parse(sums, out var problem);
        if (artifacts is null) return Result(AttestationVerdict.Malformed, $"{Path.GetFileName(entry.SumsPath)} is not a digest list: {problem}");
        var (verdict, reason, key) = keyring.Verify(entry.Signer, signature, sums, now);
        return Result(verdict, reason, artifacts, key);
    }

    /// <summary>
    /// The files and folders of a folder, sorted, as the directory listing types them (no stat per entry); symbolic links are
    /// left out, never followed. A FIFO, socket or device listed as a file is refused when it is opened (UntrustedFile).
    /// </summary>
    internal static (List<string> Files, List<string> Folders) List(string folder)
    {
        var files = new List<string>();
        var folders = new List<string>();
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if ((entry.Attributes & FileAttributes.ReparsePoint) != 0) continue;
            ((entry.Attributes & FileAttributes.Directory) != 0 ? folders : files).Add(entry.FullName);
        }
        files.Sort(StringComparer.Ordinal);
        folders.Sort(StringComparer.Ordinal);
        return (files, folders);
    }
}
