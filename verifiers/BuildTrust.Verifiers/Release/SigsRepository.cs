using System.Security.Cryptography;
using BuildTrust.Verifiers.Git;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Release;

/// <summary>
/// A "sigs" repository, as Bitcoin Core's guix.sigs is for Guix builds: each builder commits its own provenance bundle as
/// <c>&lt;commit&gt;/&lt;builder&gt;/provenance.sigstore.json</c> in a commit it signs with its provenance key (an SSH signature,
/// <c>git -c gpg.format=ssh</c>, made with the same ECDSA P-256 key). The repository is hostile input: a bundle counts only when
/// the commit that brought its exact content into the history (the one commit whose tree has it while none of its parents'
/// trees do) is signed by the key the policy gives that builder. The bundles are then verified as any other, against the
/// same keys. Merges by someone else bring nothing in and need no signature of a builder.
/// </summary>
public static class SigsRepository
{
    public const string BundleName = "provenance.sigstore.json";

    /// <summary>History walked at most, newest first, to find where each bundle came in.</summary>
    public const int MaximumCommits = 200_000;

    public static ProvenanceCollection Read(string repository, string reference, string builtCommit, ReleasePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var label = $"sigs repository {repository}";
        using var source = GitCommitSource.Open(repository);
        var tip = source.Resolve(reference);
        source.RefuseReplacements(tip);
        var prefix = builtCommit + "/";
        var problems = new List<string>();
        var wanted = new Dictionary<string, (string Builder, string Blob)>(StringComparer.Ordinal);
        foreach (var entry in source.TreeOf(tip).Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (entry.Kind == GitEntryKind.Directory) continue;
            var parts = entry.Path[prefix.Length..].Split('/');
            if (parts.Length != 2 || parts[1] != BundleName || entry.Kind != GitEntryKind.File)
            {
                problems.Add($"{label}: {entry.Path} is not a builder's {BundleName} (only <commit>/<builder>/{BundleName} files belong there)");
                continue;
            }
            if (policy.Builders.All(b => b.Id != parts[0]))
            {
                problems.Add($"{label}: {entry.Path} is in the folder of '{parts[0]}', which is not a builder of the policy");
                continue;
            }
            wanted[entry.Path] = (parts[0], entry.ObjectId);
        }
        if (wanted.Count == 0 && problems.Count == 0) problems.Add($"{label} holds no provenance bundle for commit {builtCommit} at {reference} ({tip[..12]})");

        var bundles = new List<(string Path, byte[] Bytes)>();
        var pending = new Dictionary<string, (string Builder, string Blob)>(wanted, StringComparer.Ordinal);
        var walked = 0;
        foreach (var entry in source.Range(tip, null))
        {
            if (pending.Count == 0) break;
            if (++walked > MaximumCommits) break;
            var record = entry.Record ?? source.Read(entry.Id);
            foreach (var (path, (builder, blob)) in pending.ToList())
            {
                if (source.BlobIdAt(record.Id, path) != blob || record.Parents.Any(parent => source.BlobIdAt(parent, path) == blob)) continue;
                pending.Remove(path);
                var key = policy.Builders.First(b => b.Id == builder);
                if (SignedBy(record, key.PublicKeyDer) is { } refusal)
                {
                    problems.Add($"{label}: {path} was committed in {record.Id[..12]}, {refusal}; a builder's bundle counts only from a commit the builder signed");
                    continue;
                }
                bundles.Add(($"{repository}@{tip[..12]}:{path}", source.ReadBlob(blob, BuildFolder.MaximumBundleBytes)));
            }
        }
        problems.AddRange(pending.Keys.Select(path => $"{label}: where {path} came into the history was not found within {MaximumCommits} commits"));
        return new ProvenanceCollection(bundles, problems);
    }

    /// <summary>Null when the commit carries a valid SSH signature (namespace git) by the builder's key; otherwise why not.</summary>
    private static string? SignedBy(CommitRecord commit, byte[] builderKey)
    {
        if (commit.Signature is null) return "which is not signed";
        if (!SshSignature.IsArmoredSshSignature(commit.Signature)) return "which is not signed with an SSH signature (git -c gpg.format=ssh, with the builder's key)";
        try
        {
            var signature = SshSignature.Parse(commit.Signature);
            var key = SshPublicKey.FromBlob(SshBlob(builderKey));
            if (!signature.PublicKeyBlob.SequenceEqual(key.Blob)) return "which is signed by another key than the builder's";
            var verification = SshSignatureVerifier.Verify(key, signature, commit.SignedPayload, "git");
            return verification.IsValid ? null : $"whose signature does not hold: {verification.Failure}";
        }
        catch (SshFormatException e)
        {
            return $"whose signature is malformed: {e.Message}";
        }
    }

    /// <summary>The builder's ECDSA P-256 key (SubjectPublicKeyInfo) as an OpenSSH <c>ecdsa-sha2-nistp256</c> key blob.</summary>
    public static byte[] SshBlob(byte[] subjectPublicKeyInfo)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var q = ecdsa.ExportParameters(false).Q;
        using var blob = new MemoryStream();
        void Write(ReadOnlySpan<byte> bytes)
        {
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            blob.Write(length);
            blob.Write(bytes);
        }
        Write("ecdsa-sha2-nistp256"u8);
        Write("nistp256"u8);
        Write([0x04, .. q.X!, .. q.Y!]);
        return blob.ToArray();
    }
}
