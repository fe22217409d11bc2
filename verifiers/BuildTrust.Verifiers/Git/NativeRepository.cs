using System.Runtime.InteropServices;
using static BuildTrust.Verifiers.Git.LibGit2;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// A repository opened through <see cref="LibGit2"/>: exact commit bytes, revisions, walks, references. One handle must not
/// be used by two threads at once.
/// </summary>
internal sealed class NativeRepository : IDisposable
{
    private readonly RepositoryHandle _repository;
    private readonly OdbHandle _odb;

    /// <summary>Opens the git directory <paramref name="gitDirectory"/> itself (no discovery).</summary>
    public NativeRepository(string gitDirectory)
    {
        EnsureInitialised();
        Check(git_repository_open(out _repository, gitDirectory), $"open {gitDirectory}");
        _odb = OpenOdb(_repository);
    }

    private NativeRepository(RepositoryHandle repository)
    {
        _repository = repository;
        _odb = OpenOdb(repository);
    }

    private static OdbHandle OpenOdb(RepositoryHandle repository)
    {
        var result = git_repository_odb(out var odb, repository);
        if (result < 0)
        {
            odb.Dispose();
            repository.Dispose();
            Check(result, "open the object database");
        }
        return odb;
    }

    /// <summary>The repository holding <paramref name="path"/> (searching upwards as git does), or null when there is none.</summary>
    public static NativeRepository? Discover(string path)
    {
        EnsureInitialised();
        var result = git_repository_open_ext(out var repository, path, 0, null);
        if (result == NotFound)
        {
            repository.Dispose();
            return null;
        }
        if (result < 0)
        {
            repository.Dispose();
            Check(result, $"open the repository at {path}");
        }
        return new NativeRepository(repository);
    }

    /// <summary>The git directory, ending in a slash.</summary>
    public string GitDirectory => Marshal.PtrToStringUTF8(git_repository_path(_repository))!;

    /// <summary>The working tree, or null for a bare repository.</summary>
    public string? WorkDirectory => git_repository_workdir(_repository) is var path and not 0 ? Marshal.PtrToStringUTF8(path) : null;

    /// <summary>The repository's common git directory (where a linked worktree keeps <c>shallow</c> and <c>info/</c>).</summary>
    public string CommonDirectory => Marshal.PtrToStringUTF8(git_repository_commondir(_repository))!;

    /// <summary>Whether this is a shallow clone (its history is cut off at commits listed in <c>shallow</c>).</summary>
    public bool IsShallow => git_repository_is_shallow(_repository) == 1;

    /// <summary>
    /// The id of the commit <paramref name="revision"/> names (git's revision syntax, peeled to a commit), or null when it
    /// names nothing; throws <see cref="InvalidDataException"/> with libgit2's reason otherwise (ambiguous, not a commit, malformed).
    /// </summary>
    public string? ResolveCommit(string revision)
    {
        var result = git_revparse_single(out var target, _repository, revision);
        using (target)
        {
            if (result == NotFound) return null;
            Check(result, $"resolve '{revision}'");
            Check(git_object_peel(out var commit, target, CommitType), $"peel '{revision}' to a commit");
            using (commit)
            {
                var oid = new byte[20];
                Marshal.Copy(git_object_id(commit), oid, 0, oid.Length);
                return Convert.ToHexStringLower(oid);
            }
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
        using (handle)
        {
            if (git_odb_object_type(handle) != CommitType) throw new InvalidDataException($"object {id} is not a commit");
            var size = (long)git_odb_object_size(handle);
            if (size > maximumBytes) throw new InvalidDataException($"commit {id} is {size} bytes, more than the {maximumBytes} accepted");
            var bytes = new byte[size];
            Marshal.Copy(git_odb_object_data(handle), bytes, 0, bytes.Length);
            return bytes;
        }
    }

    /// <summary>
    /// Ids of the commits reachable from <paramref name="include"/> and not from <paramref name="exclude"/>, from libgit2's
    /// revision walk, which reads each commit once (LibGit2Sharp's walk looks every commit up again as an object).
    /// </summary>
    public IEnumerable<string> Walk(string include, string? exclude, bool parentsFirst)
    {
        Check(git_revwalk_new(out var walk, _repository), "start a revision walk");
        using (walk)
        {
            Check(git_revwalk_sorting(walk, parentsFirst ? SortTopological | SortReverse : SortTime), "sort the revision walk");
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
    }

    /// <summary>The names of the references matching <paramref name="glob"/> (for example <c>refs/replace/*</c>).</summary>
    public List<string> ReferenceNames(string glob)
    {
        Check(git_reference_iterator_glob_new(out var iterator, _repository, glob), $"list the references {glob}");
        using (iterator)
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

    public void Dispose()
    {
        _odb.Dispose();
        _repository.Dispose();
    }
}
