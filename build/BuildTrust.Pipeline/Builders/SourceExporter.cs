using System.Formats.Tar;
using BuildTrust.Pipeline.Archives;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Pipeline.Builders;

/// <summary>Exports the tree of a commit into a deterministic tar (see <see cref="ExportedSource"/>), read through the one door to git.</summary>
public static class SourceExporter
{
    public static ExportedSource Export(string repositoryPath, string revision)
    {
        GitCommitSource repository;
        try
        {
            repository = GitCommitSource.Open(repositoryPath);
        }
        catch (CommitRangeException e)
        {
            throw new BuildInputException($"{repositoryPath}: not a git repository", e);
        }
        using (repository)
        {
            string commit;
            try
            {
                commit = repository.Resolve(revision);
            }
            catch (CommitRangeException e)
            {
                throw new BuildInputException($"{repositoryPath}: {e.Message}", e);
            }
            var record = repository.Read(commit);
            if (record.ReadError is not null) throw new BuildInputException($"commit {commit}: {record.ReadError}");
            var epoch = record.CommittedAt.ToUnixTimeSeconds();
            var time = DateTimeOffset.FromUnixTimeSeconds(epoch);
            var tarPath = Path.Combine(Path.GetTempPath(), $"buildtrust-source-{commit[..12]}-{Guid.NewGuid():N}.tar");
            var files = 0;
            try
            {
                using (var output = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                using (var writer = new TarWriter(output, DeterministicTar.Format, leaveOpen: false))
                {
                    foreach (var entry in repository.TreeOf(commit)) files += Write(writer, repository, entry, time);
                }
                return new ExportedSource(repository.Origin, commit, epoch, tarPath, files, new FileInfo(tarPath).Length);
            }
            catch (InvalidDataException e)
            {
                File.Delete(tarPath);
                throw new BuildInputException($"commit {commit}: {e.Message}", e);
            }
            catch
            {
                File.Delete(tarPath);
                throw;
            }
        }
    }

    /// <summary>Writes one entry; returns how many files (not folders) it added.</summary>
    private static int Write(TarWriter writer, GitCommitSource repository, GitTreeEntry entry, DateTimeOffset time)
    {
        switch (entry.Kind)
        {
            case GitEntryKind.Directory:
            case GitEntryKind.Submodule:
                // A submodule is, like in git archive, an empty folder: its commit is not part of this tree.
                writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, entry.Path + "/", DeterministicTar.Executable, time));
                return 0;
            case GitEntryKind.SymbolicLink:
                var link = DeterministicTar.Entry(TarEntryType.SymbolicLink, entry.Path, (UnixFileMode)0b111_111_111, time);
                using (var target = new StreamReader(repository.OpenBlob(entry.ObjectId))) link.LinkName = target.ReadToEnd();
                writer.WriteEntry(link);
                return 1;
            default:
                var file = DeterministicTar.Entry(TarEntryType.RegularFile, entry.Path, entry.Kind == GitEntryKind.ExecutableFile ? DeterministicTar.Executable : DeterministicTar.File, time);
                using (var content = repository.OpenBlob(entry.ObjectId))
                {
                    file.DataStream = content;
                    writer.WriteEntry(file);
                }
                return 1;
        }
    }
}
