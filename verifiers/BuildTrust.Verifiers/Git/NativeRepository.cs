using System.Runtime.InteropServices;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// A repository handle of the libgit2 that LibGit2Sharp ships, called directly where LibGit2Sharp is lossy or
/// slow: it hands out commit contents only as decoded strings (invalid UTF-8 replaced, a NUL ends the string),
/// while a signature must be checked over the bytes git hashed; and its object model costs tens of
/// milliseconds to start and a lookup per commit to walk. One handle must not be used by two threads at once.
/// </summary>
internal sealed partial class NativeRepository : IDisposable
{
    /// <summary>The native library of the pinned LibGit2Sharp.NativeBinaries package (see Directory.Packages.props).</summary>
    private const string LibGit2 = "libgit2-5853918";
    private const int CommitType = 1;
    private const int NotFound = -3;
    private const int IterationOver = -31;
    private const int InvalidSpec = -12;
    private const int OptionEnableCaching = 8;
    private const uint SortTopological = 1, SortTime = 2, SortReverse = 4;
    private nint _repository;
    private nint _odb;

    static NativeRepository()
    {
        git_libgit2_init();
        // libgit2's object cache keeps every object read (up to 256 MB); each commit is read once here, so the
        // cache would only make memory grow with the length of the history.
        git_libgit2_opts(OptionEnableCaching, 0);
    }

    /// <summary>Opens the git directory <paramref name="gitDirectory"/> itself (no discovery).</summary>
    public NativeRepository(string gitDirectory)
    {
        git_libgit2_init();
        Check(git_repository_open(out _repository, gitDirectory), $"open {gitDirectory}");
        Check(git_repository_odb(out _odb, _repository), "open the object database");
    }

    private NativeRepository(nint repository)
    {
        _repository = repository;
        Check(git_repository_odb(out _odb, _repository), "open the object database");
    }

    /// <summary>The repository holding <paramref name="path"/> (searching upwards as git does), or null when there is none.</summary>
    public static NativeRepository? Discover(string path)
    {
        git_libgit2_init();
        var result = git_repository_open_ext(out var repository, path, 0, null);
        if (result == NotFound)
        {
            git_libgit2_shutdown();
            return null;
        }
        if (result < 0)
        {
            git_libgit2_shutdown();
            Check(result, $"open the repository at {path}");
        }
        try
        {
            return new NativeRepository(repository);
        }
        catch
        {
            git_repository_free(repository);
            git_libgit2_shutdown();
            throw;
        }
    }

    /// <summary>The git directory, ending in a slash.</summary>
    public string GitDirectory => Marshal.PtrToStringUTF8(git_repository_path(_repository))!;

    /// <summary>The working tree, or null for a bare repository.</summary>
    public string? WorkDirectory => git_repository_workdir(_repository) is var path and not 0 ? Marshal.PtrToStringUTF8(path) : null;

    /// <summary>Whether this is a shallow clone (its history is cut off at commits listed in <c>shallow</c>).</summary>
    public bool IsShallow => git_repository_is_shallow(_repository) == 1;

    /// <summary>
    /// The id of the commit <paramref name="revision"/> names (git's revision syntax, peeled to a commit), or null
    /// when it names nothing; throws <see cref="InvalidDataException"/> with libgit2's reason otherwise (ambiguous,
    /// not a commit, malformed).
    /// </summary>
    public string? ResolveCommit(string revision)
    {
        var result = git_revparse_single(out var target, _repository, revision);
        if (result == NotFound) return null;
        Check(result, $"resolve '{revision}'");
        try
        {
            Check(git_object_peel(out var commit, target, CommitType), $"peel '{revision}' to a commit");
            try
            {
                var oid = new byte[20];
                Marshal.Copy(git_object_id(commit), oid, 0, oid.Length);
                return Convert.ToHexStringLower(oid);
            }
            finally
            {
                git_object_free(commit);
            }
        }
        finally
        {
            git_object_free(target);
        }
    }

    /// <summary>Whether <paramref name="ancestor"/> is reachable from <paramref name="descendant"/> through parents (a commit is not its own descendant).</summary>
    public bool IsDescendantOf(string descendant, string ancestor)
    {
        var result = git_graph_descendant_of(_repository, ObjectId(descendant), ObjectId(ancestor));
        Check(result, $"compare the histories of {descendant} and {ancestor}");
        return result == 1;
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

    /// <summary>The names of the references matching <paramref name="glob"/> (for example <c>refs/replace/*</c>).</summary>
    public List<string> ReferenceNames(string glob)
    {
        Check(git_reference_iterator_glob_new(out var iterator, _repository, glob), $"list the references {glob}");
        try
        {
            var names = new List<string>();
            while (true)
            {
                var result = git_reference_next_name(out var name, iterator);
                if (result == IterationOver) return names;
                Check(result, $"list the references {glob}");
                names.Add(Marshal.PtrToStringUTF8(name)!);
            }
        }
        finally
        {
            git_reference_iterator_free(iterator);
        }
    }

    /// <summary>Whether the reference <paramref name="name"/> (a full name such as <c>refs/tags/v1</c>) exists.</summary>
    public bool ReferenceExists(string name)
    {
        var result = git_reference_name_to_id(new byte[20], _repository, name);
        if (result is NotFound or InvalidSpec) return false;
        Check(result, $"look up {name}");
        return true;
    }

    /// <summary>The type of an object (1 commit, 2 tree, 3 blob, 4 tag), or null when the repository does not hold it.</summary>
    public int? ObjectType(string id)
    {
        var result = git_odb_read_header(out _, out var type, _odb, ObjectId(id));
        if (result == NotFound) return null;
        Check(result, $"read the header of object {id}");
        return type;
    }

    /// <summary>The repository's common git directory (where a linked worktree keeps <c>shallow</c> and <c>info/</c>).</summary>
    public string CommonDirectory => Marshal.PtrToStringUTF8(git_repository_commondir(_repository))!;

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
        if (result >= 0) return;
        var error = git_error_last();
        var reason = error == 0 ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(error));
        throw new InvalidDataException($"libgit2 could not {what}: {reason ?? $"error {result}"}");
    }

    [LibraryImport(LibGit2)]
    private static partial int git_libgit2_init();

    [LibraryImport(LibGit2)]
    private static partial int git_libgit2_shutdown();

    [LibraryImport(LibGit2)]
    private static partial int git_libgit2_opts(int option, int value);

    [LibraryImport(LibGit2)]
    private static partial nint git_error_last();

    [LibraryImport(LibGit2, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int git_repository_open(out nint repository, string path);

    [LibraryImport(LibGit2, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int git_repository_open_ext(out nint repository, string path, uint flags, string? ceilingDirectories);

    [LibraryImport(LibGit2)]
    private static partial nint git_repository_path(nint repository);

    [LibraryImport(LibGit2, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int git_reference_iterator_glob_new(out nint iterator, nint repository, string glob);

    [LibraryImport(LibGit2)]
    private static partial int git_reference_next_name(out nint name, nint iterator);

    [LibraryImport(LibGit2)]
    private static partial void git_reference_iterator_free(nint iterator);

    [LibraryImport(LibGit2, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int git_reference_name_to_id([Out] byte[] oid, nint repository, string name);

    [LibraryImport(LibGit2)]
    private static partial int git_odb_read_header(out nuint size, out int type, nint odb, [In] byte[] oid);

    [LibraryImport(LibGit2)]
    private static partial nint git_repository_commondir(nint repository);

    [LibraryImport(LibGit2)]
    private static partial nint git_repository_workdir(nint repository);

    [LibraryImport(LibGit2)]
    private static partial int git_repository_is_shallow(nint repository);

    [LibraryImport(LibGit2, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int git_revparse_single(out nint target, nint repository, string spec);

    [LibraryImport(LibGit2)]
    private static partial int git_object_peel(out nint peeled, nint target, int type);

    [LibraryImport(LibGit2)]
    private static partial nint git_object_id(nint target);

    [LibraryImport(LibGit2)]
    private static partial void git_object_free(nint target);

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
    private static partial int git_graph_descendant_of(nint repository, [In] byte[] commit, [In] byte[] ancestor);

    [LibraryImport(LibGit2)]
    private static partial void git_repository_free(nint repository);
}
