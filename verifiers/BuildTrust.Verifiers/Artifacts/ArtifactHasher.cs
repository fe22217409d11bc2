using System.Security.Cryptography;

namespace BuildTrust.Verifiers.Artifacts;

/// <summary>
/// SHA-256 of files on disk: each file streamed in large blocks (the BCL hashes with OpenSSL on Linux),
/// several files at once on every core. Only regular files reached through no symbolic link are opened (see <see cref="Files.UntrustedFile"/>).
/// </summary>
public static class ArtifactHasher
{
    private const int BlockSize = 1 << 20;

    public static string HashFile(string path)
    {
        using var stream = OpenNoFollow(path);
        return HashStream(stream);
    }

    /// <summary>Hashes <paramref name="names"/> (relative to <paramref name="root"/>) in parallel; results in the order given.</summary>
    public static IReadOnlyList<ArtifactDigest> HashFiles(string root, IReadOnlyList<string> names, int? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var results = new ArtifactDigest[names.Count];
        Parallel.For(0, names.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount }, i =>
        {
            using var stream = OpenNoFollow(Path.Combine(root, names[i]));
            results[i] = new ArtifactDigest(names[i], stream.Length, HashStream(stream));
        });
        return results;
    }

    private static string HashStream(FileStream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, BlockSize)) > 0) hash.AppendData(buffer, 0, read);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static FileStream OpenNoFollow(string path) => Files.UntrustedFile.OpenRead(path, bufferSize: 0);
}
