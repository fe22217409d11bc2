using System.Formats.Tar;
using BuildTrust.Pipeline.Archives;
using LibGit2Sharp;

namespace BuildTrust.Pipeline.Builders;

/// <summary>Exports the tree of a commit into a deterministic tar (see <see cref="ExportedSource"/>).</summary>
public static class SourceExporter
{
    public static ExportedSource Export(string repositoryPath, string revision)
    {
        Repository repository;
        try
        {
            repository = new Repository(repositoryPath);
        }
        catch (RepositoryNotFoundException e)
        {
            throw new BuildInputException($"{repositoryPath}: not a git repository", e);
        }
        using (repository)
        {
            var commit = repository.Lookup(revision)?.Peel<Commit>()
                ?? throw new BuildInputException($"{repositoryPath}: unknown revision '{revision}'");
            var epoch = commit.Committer.When.ToUnixTimeSeconds();
            var time = DateTimeOffset.FromUnixTimeSeconds(epoch);
            var tarPath = Path.Combine(Path.GetTempPath(), $"buildtrust-source-{commit.Sha[..12]}-{Guid.NewGuid():N}.tar");
            int files = 0;
            try
            {
                using (var output = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                using (var writer = new TarWriter(output, DeterministicTar.Format, leaveOpen: false))
                {
                    files = WriteTree(writer, commit.Tree, "", time);
                }
                return new ExportedSource(Origin(repository), commit.Sha, epoch, tarPath, files, new FileInfo(tarPath).Length);
            }
            catch
            {
                File.Delete(tarPath);
                throw;
            }
        }
    }

    private static int WriteTree(TarWriter writer, Tree tree, string prefix, DateTimeOffset time)
    {
        var count = 0;
        foreach (var entry in tree.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = prefix + entry.Name;
            switch (entry.Mode)
            {
                case Mode.Directory:
                    writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, name + "/", DeterministicTar.Executable, time));
                    count += WriteTree(writer, (Tree)entry.Target, name + "/", time);
                    break;
                case Mode.GitLink:
                    // A submodule: like git archive, an empty folder; its commit is not part of this tree.
                    writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, name + "/", DeterministicTar.Executable, time));
                    break;
                case Mode.SymbolicLink:
                    var link = DeterministicTar.Entry(TarEntryType.SymbolicLink, name, (UnixFileMode)0b111_111_111, time);
                    link.LinkName = ((Blob)entry.Target).GetContentText();
                    writer.WriteEntry(link);
                    count++;
                    break;
                case Mode.NonExecutableFile:
                case Mode.NonExecutableGroupWritableFile:
                case Mode.ExecutableFile:
                    var blob = (Blob)entry.Target;
                    var file = DeterministicTar.Entry(TarEntryType.RegularFile, name, entry.Mode == Mode.ExecutableFile ? DeterministicTar.Executable : DeterministicTar.File, time);
                    using (var content = blob.GetContentStream()) // raw bytes: no smudge or end-of-line filters
                    {
                        file.DataStream = content;
                        writer.WriteEntry(file);
                    }
                    count++;
                    break;
                default:
                    throw new BuildInputException($"tree entry '{name}' has an unsupported mode {entry.Mode}");
            }
        }
        return count;
    }

    private static string Origin(Repository repository) =>
        repository.Network.Remotes["origin"]?.Url ?? new Uri(Path.GetFullPath(repository.Info.WorkingDirectory ?? repository.Info.Path)).AbsoluteUri;
}
