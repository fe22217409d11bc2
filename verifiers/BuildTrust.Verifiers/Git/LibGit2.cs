using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// The libgit2 binding: every native call BuildTrust makes into the libgit2 that LibGit2Sharp ships, in one place, with each
/// native object owned by a <see cref="SafeHandle"/> that frees it exactly once. Called directly (not through LibGit2Sharp)
/// where LibGit2Sharp is lossy or slow: it hands out commit contents only as decoded strings (invalid UTF-8 replaced, a NUL
/// ends the string), while a signature must be checked over the bytes git hashed; and its object model costs tens of
/// milliseconds to start and a lookup per commit to walk (measured in bench/README.md).
/// </summary>
internal static partial class LibGit2
{
    /// <summary>The native library of the pinned LibGit2Sharp.NativeBinaries package (Directory.Packages.props); a test checks the two agree.</summary>
    public const string Library = "libgit2-5853918";

    public const int CommitType = 1, NotFound = -3, InvalidSpec = -12, IterationOver = -31;
    public const uint SortTopological = 1, SortTime = 2, SortReverse = 4;
    private const int OptionSetWindowSize = 1, OptionSetWindowMappedLimit = 3, OptionEnableCaching = 8;

    static LibGit2()
    {
        git_libgit2_init();
        // libgit2's object cache keeps every object read (up to 256 MB); each commit is read once here, so the cache would
        // only make memory grow with the length of the history.
        git_libgit2_opts(OptionEnableCaching, 0);
        // A walk over a whole history reads every commit in the pack files once. libgit2 maps packs in windows of 1 GiB and
        // keeps up to 8 GiB mapped, every page read counted in the process's resident memory: a million commits are some
        // 600 MB of pack. Windows of 16 MiB, at most 64 MiB of them mapped at once (the least recently used are unmapped),
        // keep that flat.
        git_libgit2_opts_size(OptionSetWindowSize, 16 << 20);
        git_libgit2_opts_size(OptionSetWindowMappedLimit, 64 << 20);
    }

    /// <summary>Makes sure the library is initialised (the static constructor runs once); call before any other member.</summary>
    public static void EnsureInitialised()
    {
    }

    /// <summary>Throws <see cref="InvalidDataException"/> with libgit2's reason when <paramref name="result"/> is an error.</summary>
    public static void Check(int result, string what)
    {
        if (result >= 0) return;
        var error = git_error_last();
        var reason = error == 0 ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(error));
        throw new InvalidDataException($"libgit2 could not {what}: {reason ?? $"error {result}"}");
    }

    public static byte[] ObjectId(string id)
    {
        var oid = Convert.FromHexString(id);
        return oid.Length == 20 ? oid : throw new InvalidOperationException($"'{id}' is not a SHA-1 object id");
    }

    public sealed class RepositoryHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            git_repository_free(handle);
            return true;
        }
    }

    public sealed class OdbHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            git_odb_free(handle);
            return true;
        }
    }

    public sealed class OdbObjectHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            git_odb_object_free(handle);
            return true;
        }
    }

    public sealed class ObjectHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            git_object_free(handle);
            return true;
        }
    }

    public sealed class RevwalkHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            git_revwalk_free(handle);
            return true;
        }
    }

    public sealed class ReferenceIteratorHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            git_reference_iterator_free(handle);
            return true;
        }
    }

    [LibraryImport(Library)]
    private static partial int git_libgit2_init();

    [LibraryImport(Library)]
    private static partial int git_libgit2_opts(int option, int value);

    /// <summary><c>git_libgit2_opts</c> for the options whose argument is a <c>size_t</c>.</summary>
    [LibraryImport(Library, EntryPoint = "git_libgit2_opts")]
    private static partial int git_libgit2_opts_size(int option, nuint value);

    [LibraryImport(Library)]
    private static partial nint git_error_last();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int git_repository_open(out RepositoryHandle repository, string path);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int git_repository_open_ext(out RepositoryHandle repository, string path, uint flags, string? ceilingDirectories);

    [LibraryImport(Library)]
    private static partial void git_repository_free(nint repository);

    [LibraryImport(Library)]
    public static partial nint git_repository_path(RepositoryHandle repository);

    [LibraryImport(Library)]
    public static partial nint git_repository_workdir(RepositoryHandle repository);

    [LibraryImport(Library)]
    public static partial nint git_repository_commondir(RepositoryHandle repository);

    [LibraryImport(Library)]
    public static partial int git_repository_is_shallow(RepositoryHandle repository);

    [LibraryImport(Library)]
    public static partial int git_repository_odb(out OdbHandle odb, RepositoryHandle repository);

    [LibraryImport(Library)]
    private static partial void git_odb_free(nint odb);

    [LibraryImport(Library)]
    public static partial int git_odb_read(out OdbObjectHandle obj, OdbHandle odb, [In] byte[] oid);

    [LibraryImport(Library)]
    public static partial int git_odb_read_header(out nuint size, out int type, OdbHandle odb, [In] byte[] oid);

    [LibraryImport(Library)]
    public static partial int git_odb_object_type(OdbObjectHandle obj);

    [LibraryImport(Library)]
    public static partial nuint git_odb_object_size(OdbObjectHandle obj);

    [LibraryImport(Library)]
    public static partial nint git_odb_object_data(OdbObjectHandle obj);

    [LibraryImport(Library)]
    private static partial void git_odb_object_free(nint obj);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int git_revparse_single(out ObjectHandle target, RepositoryHandle repository, string spec);

    [LibraryImport(Library)]
    public static partial int git_object_peel(out ObjectHandle peeled, ObjectHandle target, int type);

    [LibraryImport(Library)]
    public static partial nint git_object_id(ObjectHandle target);

    [LibraryImport(Library)]
    private static partial void git_object_free(nint target);

    [LibraryImport(Library)]
    public static partial int git_revwalk_new(out RevwalkHandle walk, RepositoryHandle repository);

    [LibraryImport(Library)]
    public static partial int git_revwalk_sorting(RevwalkHandle walk, uint sorting);

    [LibraryImport(Library)]
    public static partial int git_revwalk_push(RevwalkHandle walk, [In] byte[] oid);

    [LibraryImport(Library)]
    public static partial int git_revwalk_hide(RevwalkHandle walk, [In] byte[] oid);

    [LibraryImport(Library)]
    public static partial int git_revwalk_next([Out] byte[] oid, RevwalkHandle walk);

    [LibraryImport(Library)]
    private static partial void git_revwalk_free(nint walk);

    [LibraryImport(Library)]
    public static partial int git_graph_descendant_of(RepositoryHandle repository, [In] byte[] commit, [In] byte[] ancestor);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int git_reference_iterator_glob_new(out ReferenceIteratorHandle iterator, RepositoryHandle repository, string glob);

    [LibraryImport(Library)]
    public static partial int git_reference_next_name(out nint name, ReferenceIteratorHandle iterator);

    [LibraryImport(Library)]
    private static partial void git_reference_iterator_free(nint iterator);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int git_reference_name_to_id([Out] byte[] oid, RepositoryHandle repository, string name);
}
