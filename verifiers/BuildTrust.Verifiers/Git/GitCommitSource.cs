using LibGit2Sharp;

namespace BuildTrust.Verifiers.Git;

/// <summary>
/// Reads commits and their signatures from a git repository (the only place git is read). Commits, walks and
/// revisions go to libgit2 directly (<see cref="NativeRepository"/>); LibGit2Sharp, slower to start, is opened
/// only for what needs its object model (trees, blobs, notes, merge bases).
/// </summary>
public sealed class GitCommitSource : IDisposable
{
    /// <summary>Commit objects larger than this are refused as malformed rather than read into memory.</summary>
    public const int MaximumCommitBytes = 16 * 1024 * 1024;

    private readonly NativeRepository _main;
    private readonly Lazy<Repository> _lazyRepository;
    /// <summary>One handle per thread, so commits can be read by the verifying threads.</summary>
    private readonly ThreadLocal<NativeRepository> _raw;
    private readonly System.Collections.Concurrent.ConcurrentBag<NativeRepository> _walkHandles = [];

    /// <summary>Commits whose parents git takes from elsewhere than the object: shallow boundaries and grafts, with which.</summary>
    private readonly Dictionary<string, string> _cutOff;

    private GitCommitSource(NativeRepository main)
    {
        _main = main;
        var path = RepositoryPath = main.GitDirectory;
        _cutOff = CutOffCommits(main.CommonDirectory);
        _lazyRepository = new Lazy<Repository>(() =>
        {
            GlobalSettings.SetEnableCaching(false);
            return new Repository(path);
        });
        _raw = new ThreadLocal<NativeRepository>(() => new NativeRepository(path), trackAllValues: true);
    }

    public static GitCommitSource Open(string path)
    {
        try
        {
            return new GitCommitSource(NativeRepository.Discover(path) ?? throw new CommitRangeException($"'{path}' is not inside a git repository"));
        }
        catch (InvalidDataException e)
        {
            throw new CommitRangeException($"cannot open the git repository at '{path}': {e.Message}");
        }
    }

    private Repository Repository => _lazyRepository.Value;

    /// <summary>The repository's git directory.</summary>
    public string RepositoryPath { get; }

    /// <summary>The working tree, or null for a bare repository.</summary>
    public string? WorkDirectory
    {
        get
        {
            lock (_main) return _main.WorkDirectory;
        }
    }

    private static Dictionary<string, string> CutOffCommits(string commonDirectory)
    {
        var cutOff = new Dictionary<string, string>(StringComparer.Ordinal);
        void Collect(string file, string what)
        {
            if (!File.Exists(file)) return;
            foreach (var line in File.ReadLines(file))
            {
                var id = line.Split(' ', 2)[0].Trim();
                if (id.Length > 0) cutOff.TryAdd(id, what);
            }
        }
        Collect(Path.Combine(commonDirectory, "shallow"), "the boundary of a shallow clone: fetch the whole history, e.g. git fetch --unshallow");
        Collect(Path.Combine(commonDirectory, "info", "grafts"), "a graft in info/grafts gives it other parents than the commit object: remove the graft");
        return cutOff;
    }

    private void RefuseCutOff(string id)
    {
        if (_cutOff.TryGetValue(id, out var why)) throw new CommitRangeException($"history is cut off at {id} ({why}); git and BuildTrust would judge different histories");
    }

    /// <summary>
    /// Refuses a repository where git would show other objects than the ones verified: a replace ref
    /// (<c>refs/replace/</c>, or <c>$GIT_REPLACE_REF_BASE</c>) for a commit that is one of <paramref name="named"/> or an
    /// ancestor of <paramref name="include"/>, or for any tree, blob or tag (git would show it inside commits whose trees
    /// name it). Throws <see cref="CommitRangeException"/> naming the replaced objects.
    /// </summary>
    public void RefuseReplacements(string include, params IEnumerable<string?> named)
    {
        var bases = new List<string> { "refs/replace/" };
        if (Environment.GetEnvironmentVariable("GIT_REPLACE_REF_BASE") is { Length: > 0 } custom) bases.Add(custom.EndsWith('/') ? custom : custom + "/");
        var problems = new List<string>();
        lock (_main)
        {
            foreach (var name in bases.Distinct(StringComparer.Ordinal).SelectMany(b => _main.ReferenceNames(b + "*")))
            {
                var replaced = name[(name.LastIndexOf('/') + 1)..];
                if (replaced.Length != 40 || !IsHex(replaced)) continue;
                var type = _main.ObjectType(replaced);
                if (type is null) continue;
                if (type != 1)
                    problems.Add($"{name} replaces {(type == 2 ? "tree" : type == 3 ? "blob" : "object")} {replaced}, which git would show in place of the verified content");
                else if (replaced == include || named.Contains(replaced) || _main.IsDescendantOf(include, replaced))
                    problems.Add($"{name} replaces commit {replaced}, which git would show in place of the verified commit");
            }
        }
        if (problems.Count > 0)
            throw new CommitRangeException($"git would show other objects than the ones verified: {string.Join("; ", problems)}. Remove the replace refs (git replace -d) and verify again");
    }

    /// <summary>Resolves a revision to a full commit id; throws <see cref="CommitRangeException"/> when unknown.</summary>
    public string Resolve(string revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        try
        {
            lock (_main)
            {
                RefuseAmbiguous(revision);
                return _main.ResolveCommit(revision)
                    ?? throw new CommitRangeException($"unknown revision '{revision}' (no such commit in this repository)");
            }
        }
        catch (InvalidDataException e)
        {
            throw new CommitRangeException($"unknown revision '{revision}': {e.Message}");
        }
    }

    /// <summary>
    /// Refuses a short name that more than one reference answers to. git resolves <c>origin/main</c> to a tag of that name
    /// before the remote-tracking branch, so whoever can push a tag could otherwise choose what "main" means.
    /// </summary>
    private void RefuseAmbiguous(string revision)
    {
        var end = revision.IndexOfAny(['~', '^', '@', ':', '{']);
        var name = end < 0 ? revision : revision[..end];
        if (name.Length == 0 || name == "HEAD" || name.StartsWith("refs/", StringComparison.Ordinal) || (name.Length >= 4 && IsHex(name))) return;
        string[] candidates = [$"refs/{name}", $"refs/tags/{name}", $"refs/heads/{name}", $"refs/remotes/{name}", $"refs/remotes/{name}/HEAD"];
        var existing = candidates.Where(_main.ReferenceExists).ToList();
        if (existing.Count > 1)
            throw new CommitRangeException($"'{revision}' is ambiguous: {string.Join(", ", existing)} all answer to '{name}' (a tag can be pushed to take over a branch's name); give the full reference name");
    }

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="descendant"/> or one of its ancestors.</summary>
    public bool IsAncestor(string ancestor, string descendant)
    {
        if (ancestor == descendant) return true;
        try
        {
            lock (_main) return _main.IsDescendantOf(descendant, ancestor);
        }
        catch (InvalidDataException e)
        {
            throw new CommitRangeException($"cannot compare the histories of {descendant} and {ancestor}: {e.Message}");
        }
    }

    /// <summary>
    /// The commits reachable from <paramref name="include"/> and not from <paramref name="exclude"/>, in the order
    /// <c>git log</c> lists them: newest first by committer date among the commits whose children are listed, so
    /// a child always comes before its parents even when its clock was behind. Each commit is read once and comes
    /// with its record. With an exclusion, libgit2's walk decides which commits are in the range first.
    /// Throws <see cref="CommitRangeException"/> when the history cannot be walked, or when it reaches a commit whose
    /// parents git takes from elsewhere than the object (a shallow clone's boundary, a graft): what git shows there is
    /// not what the objects say, so nothing is judged.
    /// </summary>
    public IEnumerable<RangeEntry> Range(string include, string? exclude) =>
        History(include, exclude is null ? null : Walk(include, exclude, parentsFirst: false).Select(CommitKey.Of).ToHashSet());

    /// <param name="within">The commits of the range, when it excludes some; null for the whole history.</param>
    private IEnumerable<RangeEntry> History(string include, HashSet<CommitKey>? within)
    {
        if (within is not null && !within.Contains(CommitKey.Of(include))) yield break;
        if (!_walkHandles.TryTake(out var handle)) handle = new NativeRepository(RepositoryPath);
        try
        {
            var sequence = 0L;
            var queue = new PriorityQueue<CommitRecord, (long NewestFirst, long Sequence)>();
            // The one structure that grows with the history: ids as 20-byte keys, not strings (CommitKey).
            var seen = new HashSet<CommitKey> { CommitKey.Of(include) };
            void Enqueue(CommitRecord record) => queue.Enqueue(record, (-record.CommittedAt.ToUnixTimeSeconds(), sequence++));

            Enqueue(Read(handle, include));
            while (queue.TryDequeue(out var record, out _))
            {
                RefuseCutOff(record.Id);
                yield return new RangeEntry(record.Id, record);
                if (record.ParentsUnknown) throw new CommitRangeException($"cannot walk the history past commit {record.Id}: {record.ReadError}");
                foreach (var parent in record.Parents)
                {
                    var key = CommitKey.Of(parent);
                    if (within is not null && !within.Contains(key)) continue;
                    if (!seen.Add(key)) continue;
                    try
                    {
                        Enqueue(GitCommitObject.Parse(parent, handle.ReadCommit(parent, MaximumCommitBytes)));
                    }
                    catch (InvalidDataException e)
                    {
                        lock (_main) if (_main.IsShallow) throw new CommitRangeException($"history is cut off at {record.Id}: its parent {parent} is missing from this shallow clone; fetch the whole history (git fetch --unshallow)");
                        throw new CommitRangeException($"commit {record.Id} names parent {parent}, which cannot be read: {e.Message}");
                    }
                }
            }
            // Every commit of the range is reached through commits of the range; one that was not would mean libgit2
            // and our parser disagree about some commit's parents, and it would go unverified.
            if (within is not null && seen.Count != within.Count)
            {
                var unreached = within.First(id => !seen.Contains(id));
                throw new CommitRangeException($"commit {unreached} is in the range by libgit2's walk but not by the parent lines read here");
            }
        }
        finally
        {
            _walkHandles.Add(handle);
        }
    }

    /// <summary>Ids of the commits reachable from <paramref name="include"/> and not from <paramref name="exclude"/>.</summary>
    /// <param name="parentsFirst">Topological order with every parent before its children; otherwise newest first by committer date.</param>
    public IEnumerable<string> Walk(string include, string? exclude, bool parentsFirst)
    {
        // A walk may be advanced from several threads in turn (PLINQ pulls it under a lock), so it runs on a
        // handle of its own, never one a thread is reading with at the same time.
        if (!_walkHandles.TryTake(out var handle)) handle = new NativeRepository(RepositoryPath);
        try
        {
            using var enumerator = handle.Walk(include, exclude, parentsFirst).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!enumerator.MoveNext()) yield break;
                }
                catch (InvalidDataException e)
                {
                    throw new CommitRangeException($"cannot walk the history: {e.Message}");
                }
                RefuseCutOff(enumerator.Current);
                yield return enumerator.Current;
            }
        }
        finally
        {
            _walkHandles.Add(handle);
        }
    }

    /// <summary>The id of the regular file at <paramref name="path"/> in the commit's tree, or null when there is none (symbolic links do not count).</summary>
    public string? BlobIdAt(string commitId, string path) => EntryIdAt(commitId, path, TreeEntryTargetType.Blob);

    /// <summary>
    /// What decides a commit's authority in its tree, read with one look-up: the policy directory's tree id and the
    /// parameters file's blob id (each null when absent or not of that kind).
    /// </summary>
    public (string? PolicyTree, string? Parameters) AuthorityAt(string commitId, string policyDirectory, string parametersPath)
    {
        try
        {
            var commit = Repository.Lookup<Commit>(commitId) ?? throw new CommitRangeException($"commit {commitId} is missing");
            static string? Id(TreeEntry? entry, TreeEntryTargetType type) =>
                entry is not null && entry.TargetType == type && entry.Mode != Mode.SymbolicLink ? entry.Target.Sha : null;
            return (Id(commit[policyDirectory], TreeEntryTargetType.Tree), Id(commit[parametersPath], TreeEntryTargetType.Blob));
        }
        catch (LibGit2SharpException e)
        {
            throw new CommitRangeException($"cannot read the policy of commit {commitId}: {e.Message}");
        }
    }

    /// <summary>The id of the directory at <paramref name="path"/> in the commit's tree, or null when there is none.</summary>
    public string? TreeIdAt(string commitId, string path) => EntryIdAt(commitId, path, TreeEntryTargetType.Tree);

    private string? EntryIdAt(string commitId, string path, TreeEntryTargetType type)
    {
        try
        {
            var entry = Repository.Lookup<Commit>(commitId)?[path];
            return entry is not null && entry.TargetType == type && entry.Mode != Mode.SymbolicLink ? entry.Target.Sha : null;
        }
        catch (LibGit2SharpException e)
        {
            throw new CommitRangeException($"cannot read '{path}' in commit {commitId}: {e.Message}");
        }
    }

    /// <summary>
    /// The exact bytes of the regular file at <paramref name="path"/> in the commit's tree, or null when there is none
    /// (a symbolic link or a folder there is none); throws <see cref="InvalidDataException"/> when it is larger than allowed.
    /// The one way a file is read from a commit ("policy bytes at a commit").
    /// </summary>
    public byte[]? ReadFileAt(string commitId, string path, int maximumBytes) =>
        BlobIdAt(commitId, path) is { } blob ? ReadBlob(blob, maximumBytes) : null;

    /// <summary>
    /// Every entry of the commit's tree, depth first, each folder's entries in ordinal name order and a folder before its
    /// content: what an export of the commit holds. Throws <see cref="InvalidDataException"/> for a mode git does not write.
    /// </summary>
    public IEnumerable<GitTreeEntry> TreeOf(string commitId)
    {
        var commit = Repository.Lookup<Commit>(commitId) ?? throw new CommitRangeException($"commit {commitId} is missing");
        return Entries(commit.Tree, "");
    }

    private static IEnumerable<GitTreeEntry> Entries(Tree tree, string prefix)
    {
        foreach (var entry in tree.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = prefix + entry.Name;
            var kind = entry.Mode switch
            {
                Mode.Directory => GitEntryKind.Directory,
                Mode.GitLink => GitEntryKind.Submodule,
                Mode.SymbolicLink => GitEntryKind.SymbolicLink,
                Mode.NonExecutableFile or Mode.NonExecutableGroupWritableFile => GitEntryKind.File,
                Mode.ExecutableFile => GitEntryKind.ExecutableFile,
                _ => throw new InvalidDataException($"tree entry '{path}' has an unsupported mode {entry.Mode}"),
            };
            yield return new GitTreeEntry(path, kind, entry.Target.Sha);
            if (kind == GitEntryKind.Directory)
            {
                foreach (var inner in Entries((Tree)entry.Target, path + "/")) yield return inner;
            }
        }
    }

    /// <summary>A blob's raw bytes as a stream (no smudge or end-of-line filters).</summary>
    public Stream OpenBlob(string blobId) =>
        (Repository.Lookup<Blob>(blobId) ?? throw new InvalidDataException($"blob {blobId} is missing")).GetContentStream();

    /// <summary>Where the repository came from: its <c>origin</c> remote's URL, else the file URL of its folder.</summary>
    public string Origin =>
        Repository.Network.Remotes["origin"]?.Url ?? new Uri(Path.GetFullPath(Repository.Info.WorkingDirectory ?? Repository.Info.Path)).AbsoluteUri;

    /// <summary>The exact bytes of a blob; throws <see cref="InvalidDataException"/> when it is larger than allowed.</summary>
    public byte[] ReadBlob(string blobId, int maximumBytes)
    {
        var blob = Repository.Lookup<Blob>(blobId) ?? throw new InvalidDataException($"blob {blobId} is missing");
        if (blob.Size > maximumBytes) throw new InvalidDataException($"blob {blobId} is {blob.Size} bytes, more than the {maximumBytes} accepted");
        using var stream = blob.GetContentStream();
        using var copy = new MemoryStream((int)blob.Size);
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// All notes under <paramref name="notesReference"/> (for example <c>refs/notes/buildtrust-reviews</c>):
    /// annotated commit id → note bytes, or null for a note too large to read. The notes tree is read directly (flat or with git's hex fan-out),
    /// once: LibGit2Sharp's note enumeration looks each note up again and is quadratic in their number.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]?> ReadNotes(string notesReference, int maximumNoteBytes)
    {
        var notes = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        var reference = Repository.Refs[notesReference];
        if (reference is null) return notes;
        if (reference.ResolveToDirectReference()?.Target is not Commit commit)
            throw new CommitRangeException($"{notesReference} does not point to a notes commit");
        CollectNotes(commit.Tree, "", notes, maximumNoteBytes);
        return notes;
    }

    private void CollectNotes(Tree tree, string prefix, Dictionary<string, byte[]?> notes, int maximumNoteBytes)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            if (entry.TargetType == TreeEntryTargetType.Tree && entry.Name.Length == 2 && path.Length < 40 && IsHex(entry.Name))
            {
                CollectNotes((Tree)entry.Target, path, notes, maximumNoteBytes);
            }
            else if (entry.TargetType == TreeEntryTargetType.Blob && path.Length == 40 && IsHex(path))
            {
                notes[path] = ((Blob)entry.Target).Size > maximumNoteBytes ? null : ReadBlob(entry.Target.Sha, maximumNoteBytes);
            }
        }
    }

    private static bool IsHex(string text) => text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>Reads and parses one commit; safe to call from several threads at once.</summary>
    public CommitRecord Read(string id) => Read(_raw.Value!, id);

    private static CommitRecord Read(NativeRepository reader, string id)
    {
        try
        {
            return GitCommitObject.Parse(id, reader.ReadCommit(id, MaximumCommitBytes));
        }
        catch (InvalidDataException e)
        {
            return new CommitRecord(id, "", default, null, [], e.Message) { ParentsUnknown = true };
        }
    }

    public void Dispose()
    {
        foreach (var reader in _raw.Values.Concat(_walkHandles)) reader.Dispose();
        _raw.Dispose();
        if (_lazyRepository.IsValueCreated) _lazyRepository.Value.Dispose();
        _main.Dispose();
    }
}
