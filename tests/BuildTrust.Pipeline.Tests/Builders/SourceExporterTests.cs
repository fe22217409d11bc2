using System.Formats.Tar;
using System.Security.Cryptography;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Testing.Git;

namespace BuildTrust.Pipeline.Tests.Builders;

public sealed class SourceExporterTests
{
    private static List<TarEntry> Entries(ExportedSource source)
    {
        using var stream = source.OpenRead();
        using var reader = new TarReader(stream);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry) entries.Add(entry);
        return entries;
    }

    [Fact]
    public void The_export_is_the_committed_tree_only_without_git_metadata_or_working_copy_changes()
    {
        using var repository = TestRepository.Create();
        File.WriteAllText(Path.Combine(repository.Path, "main.c"), "int main(void){return 0;}\n");
        Directory.CreateDirectory(Path.Combine(repository.Path, "src"));
        File.WriteAllText(Path.Combine(repository.Path, "src", "run.sh"), "#!/bin/sh\n");
        repository.Git("add", "-A");
        repository.Git("update-index", "--chmod=+x", "src/run.sh");
        repository.Git("commit", "-q", "-m", "source");
        File.WriteAllText(Path.Combine(repository.Path, "main.c"), "uncommitted change\n");
        File.WriteAllText(Path.Combine(repository.Path, "untracked.txt"), "not in the commit\n");

        using var source = SourceExporter.Export(repository.Path, "HEAD");

        var entries = Entries(source);
        Assert.Equal(["main.c", "src/", "src/run.sh"], entries.Select(e => e.Name));
        Assert.Equal(repository.Head, source.CommitId);
        Assert.Equal(2, source.FileCount);
        using var content = new StreamReader(entries[0].DataStream!);
        Assert.Equal("int main(void){return 0;}\n", content.ReadToEnd());
        Assert.True((entries[2].Mode & UnixFileMode.UserExecute) != 0);
        Assert.True((entries[0].Mode & UnixFileMode.UserExecute) == 0);
        Assert.All(entries, e => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(source.SourceDateEpoch), e.ModificationTime));
        Assert.All(entries, e => Assert.Equal(0, e.Uid));
    }

    [Fact]
    public void Two_exports_of_the_same_commit_are_byte_identical()
    {
        using var repository = TestRepository.Create();
        repository.CommitWithGit("one", file: "a.txt", content: "a");
        using var first = SourceExporter.Export(repository.Path, "HEAD");
        Thread.Sleep(1100);
        using var second = SourceExporter.Export(repository.Path, repository.Head);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(first.TarPath)), SHA256.HashData(File.ReadAllBytes(second.TarPath)));
    }

    [Fact]
    public void The_export_holds_nothing_that_depends_on_the_process_that_wrote_it()
    {
        using var repository = TestRepository.Create();
        var longName = string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 8)) + "/file.txt";
        repository.CommitWithGit("long path", file: longName, content: "deep");
        using var source = SourceExporter.Export(repository.Path, "HEAD");

        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(source.TarPath));
        Assert.DoesNotContain("PaxHeaders", text, StringComparison.Ordinal);
        Assert.DoesNotContain($".{Environment.ProcessId}/", text, StringComparison.Ordinal);
        Assert.Contains(Entries(source), e => e.Name == longName);
    }

    [Fact]
    public void An_unknown_revision_is_bad_input()
    {
        using var repository = TestRepository.Create();
        repository.CommitWithGit("one", file: "a.txt", content: "a");
        var error = Assert.Throws<BuildInputException>(() => SourceExporter.Export(repository.Path, "no-such-branch"));
        Assert.Contains("unknown revision 'no-such-branch'", error.Message);
    }

    [Fact]
    public void The_source_date_epoch_is_the_committer_time()
    {
        using var repository = TestRepository.Create();
        repository.CommitWithGit("one", file: "a.txt", content: "a");
        using var source = SourceExporter.Export(repository.Path, "HEAD");
        Assert.Equal(long.Parse(repository.Git("log", "-1", "--format=%ct"), System.Globalization.CultureInfo.InvariantCulture), source.SourceDateEpoch);
    }
}
