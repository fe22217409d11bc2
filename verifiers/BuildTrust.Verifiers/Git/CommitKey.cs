using System.Buffers;
using System.Buffers.Binary;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// A commit id as its 20 bytes, for the sets a walk keeps of a whole history: about 36 bytes an entry in a hash set, against
/// some 125 for the 40-character string (a million commits: 36 MB instead of 125 MB).
/// </summary>
internal readonly record struct CommitKey(ulong High, ulong Middle, uint Low)
{
    /// <summary>The key of a full, lowercase hexadecimal commit id (as libgit2 and <see cref="GitCommitObject"/> give them).</summary>
    public static CommitKey Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> bytes = stackalloc byte[20];
        if (id.Length != 40 || Convert.FromHexString(id, bytes, out _, out var written) != OperationStatus.Done || written != 20)
            throw new ArgumentException($"'{id}' is not a full commit id", nameof(id));
        return new CommitKey(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]), BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
    }

    public override string ToString() => $"{High:x16}{Middle:x16}{Low:x8}";
}
