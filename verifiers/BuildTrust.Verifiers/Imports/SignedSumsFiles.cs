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

    public static IReadOnlyList<ImportedAttestation> Verify(string root, IReadOnlyList<Entry> entries, SignerKeyring keyring, DateTimeOffset now) =>
        [.. entries.AsParallel().AsOrdered().Select(entry => Check(root, entry, keyring, now))];

    private static ImportedAttestation Check(string root, Entry entry, SignerKeyring keyring, DateTimeOffset now)
    {
        var files = new[] { entry.SumsPath, entry.SignaturePath }.OfType<string>().Select(path => Path.GetRelativePath(root, path)).ToList();
        ImportedAttestation Result(AttestationVerdict verdict, string reason, IReadOnlyDictionary<string, string>? artifacts = null, string? key = null) =>
            new(entry.Group, entry.Signer, files, verdict, reason, artifacts ?? new Dictionary<string, string>(), key);
        if (entry.SumsPath is null) return Result(AttestationVerdict.Malformed, "a signature without the digest list it signs");
        if (entry.SignaturePath is null) return Result(AttestationVerdict.Malformed, "a digest list without a signature");
        byte[] sums, signature;
        try
        {
            sums = UntrustedFile.ReadAll(entry.SumsPath, Sha256Sums.MaximumBytes);
            signature = UntrustedFile.ReadAll(entry.SignaturePath, 64 * 1024);
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

    /// <summary>The regular files and folders of a folder, sorted; links and other kinds are left out, never followed.</summary>
    internal static (List<string> Files, List<string> Folders) List(string folder)
    {
        var files = new List<string>();
        var folders = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            switch (FileKinds.Of(entry))
            {
                case FileKind.RegularFile: files.Add(entry); break;
                case FileKind.Directory: folders.Add(entry); break;
            }
        }
        return (files, folders);
    }
}
