using System.Runtime.InteropServices;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// Reads the exact bytes of git objects through the libgit2 that LibGit2Sharp ships. LibGit2Sharp only
/// hands out commit contents as decoded strings, which is lossy (invalid UTF-8 is replaced, a NUL ends the
/// string): a signature must be checked over the bytes git hashed, so those are read here instead.
/// </summary>
internal sealed partial class RawObjectReader : IDisposable
{
    /// <summary>The native library of the pinned LibGit2Sharp.NativeBinaries package (see Directory.Packages.props).</summary>
    private const string LibGit2 = "libgit2-5853918";
    private const int CommitType = 1;
    private const int IterationOver = -31;
    private const uint SortTopological = 1, SortTime = 2, SortReverse = 4;
    private nint _repository;
    private nint _odb;

    public RawObjectReader(string gitDirectory)
    {
        _ = LibGit2Sharp.GlobalSettings.Version; // loads and initialises libgit2 through LibGit2Sharp first
        git_libgit2_init();
        Check(git_repository_open(out _repository, gitDirectory), $"open {gitDirectory}");
        Check(git_repository_odb(out _odb, _repository), "open the object database");
    }

    /// <summary>The raw content of a commit object (without git's "commit N\0" header).</summary>
    public byte[] ReadCommit(string id, int maximumBytes)
    {
        Check(git_odb_read(out var handle, _odb, ObjectId(id)), $"read object {id}");
        try
        {
            if (git_odb_object_type(handle) != CommitType) throw new InvalidDataException($"object {id} is not a commit");
            var size = (long)git_odb_object_size(handle);
            if (size > maximumBytes) throw new InvalidDataException($"commit {id} is {size} bytes, more than the {maximumBytes} accepted");
            var bytes = new byte[size];
            Marshal.Copy(git_odb_object_data(handle), bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            git_odb_object_free(handle);
        }
    }

    /// <summary>
    /// Ids of the commits reachable from <paramref name="include"/> and not from <paramref name="exclude"/>, from
    /// libgit2's revision walk. Called directly rather than through LibGit2Sharp, whose walk looks every
    /// commit up again as an object: this walk reads each commit once.
    /// </summary>
    public IEnumerable<string> Walk(string include, string? exclude, bool parentsFirst)
    {
        Check(git_revwalk_new(out var walk, _repository), "start a revision walk");
        try
        {
            var sorting = parentsFirst ? SortTopological | SortReverse : SortTime;
            Check(git_revwalk_sorting(walk, sorting), "sort the revision walk");
            Check(git_revwalk_push(walk, ObjectId(include)), $"walk from {include}");
            if (exclude is not null) Check(git_revwalk_hide(walk, ObjectId(exclude)), $"hide {exclude}");
            var oid = new byte[20];
            while (true)
            {
                var result = git_revwalk_next(oid, walk);
                if (result == IterationOver) yield break;
                Check(result, "walk the history");
                yield return Convert.ToHexStringLower(oid);
            }
        }
        finally
        {
            git_revwalk_free(walk);
        }
    }

    private static byte[] ObjectId(string id)
    {
        var oid = Convert.FromHexString(id);
        return oid.Length == 20 ? oid : throw new InvalidOperationException($"'{id}' is not a SHA-1 object id");
    }

    public void Dispose()
    {
        if (_odb != 0) git_odb_free(_odb);
        if (_repository != 0) git_repository_free(_repository);
        if (_odb != 0 || _repository != 0) git_libgit2_shutdown();
        _odb = 0;
        _repository = 0;
    }

    private static void Check(int result, string what)
    {
        if (result < 0) throw new InvalidDataException($"libgit2 could not {what} (error {result})");
    }

    [LibraryImport(LibGit2)]
    private static partial int git_libgit2_init();

    [LibraryImport(LibGit2)]
    private static partial int git_libgit2_shutdown();

    [LibraryImport(LibGit2, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int git_repository_open(out nint repository, string path);

    [LibraryImport(LibGit2)]
    private static partial int git_repository_odb(out nint odb, nint repository);

    [LibraryImport(LibGit2)]
    private static partial int git_odb_read(out nint obj, nint odb, [In] byte[] oid);

    [LibraryImport(LibGit2)]
    private static partial int git_odb_object_type(nint obj);

    [LibraryImport(LibGit2)]
    private static partial nuint git_odb_object_size(nint obj);

    [LibraryImport(LibGit2)]
    private static partial nint git_odb_object_data(nint obj);

    [LibraryImport(LibGit2)]
    private static partial void git_odb_object_free(nint obj);

    [LibraryImport(LibGit2)]
    private static partial void git_odb_free(nint odb);

    [LibraryImport(LibGit2)]
    private static partial int git_revwalk_new(out nint walk, nint repository);

    [LibraryImport(LibGit2)]
    private static partial int git_revwalk_sorting(nint walk, uint sorting);

    [LibraryImport(LibGit2)]
    private static partial int git_revwalk_push(nint walk, [In] byte[] oid);

    [LibraryImport(LibGit2)]
    private static partial int git_revwalk_hide(nint walk, [In] byte[] oid);

    [LibraryImport(LibGit2)]
    private static partial int git_revwalk_next([Out] byte[] oid, nint walk);

    [LibraryImport(LibGit2)]
    private static partial void git_revwalk_free(nint walk);

    [LibraryImport(LibGit2)]
    private static partial void git_repository_free(nint repository);
}
