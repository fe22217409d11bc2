using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Builders;

public sealed class OutputCollectorTests : IDisposable
{
    private readonly TemporaryDirectory destination = new("buildtrust-collect-");

    public void Dispose() => destination.Dispose();

    private static MemoryStream Tar(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries) writer.WriteEntry(entry);
        }
        stream.Position = 0;
        return stream;
    }

    private static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    private static PaxTarEntry Entry(TarEntryType type, string name, string? link = null)
    {
        var entry = new PaxTarEntry(type, name);
        if (link is not null) entry.LinkName = link;
        return entry;
    }

    private Task<IReadOnlyList<CollectedArtifact>> CollectAsync(Stream tar, params string[] globs) =>
        new OutputCollector(OutputGlob.Parse(globs.Length > 0 ? globs : ["/out/**"])).CollectAsync(tar, destination.Path, CancellationToken.None);

    [Fact]
    public async Task Regular_files_are_written_with_their_sha256_sorted_by_name()
    {
        var artifacts = await CollectAsync(Tar(Entry(TarEntryType.Directory, "out/"), File("out/b/two", "2"), File("out/a", "1")));
        Assert.Equal(["a", "b/two"], artifacts.Select(a => a.Name));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("1"u8)), artifacts[0].Sha256);
        Assert.Equal("2", System.IO.File.ReadAllText(destination.Combine("b", "two")));
    }

    [Fact]
    public async Task Only_files_matching_the_globs_are_collected()
    {
        var artifacts = await CollectAsync(Tar(File("out/bin/app", "x"), File("out/obj/cache", "y"), File("out/bin/deep/lib.so", "z")), "/out/bin/*");
        Assert.Equal(["bin/app"], artifacts.Select(a => a.Name));
        Assert.False(System.IO.File.Exists(destination.Combine("obj", "cache")));
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "symbolic link")]
    [InlineData(TarEntryType.HardLink, "hard link")]
    [InlineData(TarEntryType.CharacterDevice, "CharacterDevice")]
    [InlineData(TarEntryType.BlockDevice, "BlockDevice")]
    [InlineData(TarEntryType.Fifo, "Fifo")]
    public async Task Anything_but_files_and_folders_refuses_the_whole_collection(TarEntryType type, string reason)
    {
        var special = Entry(type, "out/thing", type is TarEntryType.SymbolicLink or TarEntryType.HardLink ? "/etc/passwd" : null);
        var error = await Assert.ThrowsAsync<CollectionException>(() => CollectAsync(Tar(File("out/ok", "1"), special)));
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("out/../etc/passwd")]
    [InlineData("/out/abs")]
    [InlineData("etc/passwd")]
    [InlineData("out/a/../../x")]
    [InlineData("out//x")]
    [InlineData("out/./x")]
    [InlineData("out\\..\\x")]
    public async Task Paths_that_escape_or_are_not_plain_under_out_are_refused(string name)
    {
        await Assert.ThrowsAsync<CollectionException>(() => CollectAsync(Tar(File(name, "evil"))));
        Assert.Empty(Directory.EnumerateFiles(destination.Path, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("out/bin/a\n0000000000000000000000000000000000000000000000000000000000000000  bin/zz", "control character U+000A")]
    [InlineData("out/bin/a\u0085b", "control character U+0085")]
    [InlineData("out/bin/a\u007Fb", "control character U+007F")]
    [InlineData("out/bin/exe\u202Etxt.sh", "format character U+202E")]
    [InlineData("out/bin/caf\u00E9", "non-ASCII character U+00E9")]
    [InlineData("out/bin/\uFFFD", "not UTF-8")]
    [InlineData("out/ leading", "starts or ends with a space")]
    public async Task A_collected_name_that_a_listing_could_show_otherwise_refuses_the_collection(string name, string reason)
    {
        // An ASCII name goes in the header itself (as the engine writes short names), others in a PAX record.
        TarEntry strange = name.All(char.IsAscii)
            ? new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("x"u8.ToArray()) }
            : File(name, "x");
        var error = await Assert.ThrowsAsync<CollectionException>(() => CollectAsync(Tar(File("out/bin/ok", "1"), strange)));
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_strange_name_outside_the_globs_is_not_collected_and_not_refused()
    {
        var artifacts = await CollectAsync(Tar(File("out/bin/ok", "1"), File("out/obj/caf\u00E9", "x")), "/out/bin/**");
        Assert.Equal(["bin/ok"], artifacts.Select(a => a.Name));
    }

    [Fact]
    public async Task A_path_given_twice_is_refused()
    {
        var error = await Assert.ThrowsAsync<CollectionException>(() => CollectAsync(Tar(File("out/a", "1"), File("out/a", "2"))));
        Assert.Contains("twice", error.Message);
    }

    [Fact]
    public async Task Outputs_over_the_size_limit_are_refused()
    {
        var collector = new OutputCollector(OutputGlob.Parse(["/out/**"]), maxTotalBytes: 10);
        await Assert.ThrowsAsync<CollectionException>(() => collector.CollectAsync(Tar(File("out/big", new string('x', 11))), destination.Path, CancellationToken.None));
    }

    [Fact]
    public async Task A_truncated_or_garbage_archive_is_refused_not_crashed_on()
    {
        var tar = Tar(File("out/a", new string('x', 5000))).ToArray();
        await Assert.ThrowsAnyAsync<CollectionException>(() => CollectAsync(new MemoryStream(tar[..700])));
        var garbage = Enumerable.Range(0, 2048).Select(i => unchecked((byte)(i * 37))).ToArray();
        await Assert.ThrowsAnyAsync<CollectionException>(() => CollectAsync(new MemoryStream(garbage)));
    }

    [Theory]
    [InlineData("/out/**", "a/b/c", true)]
    [InlineData("/out/**", "a", true)]
    [InlineData("/out/*.dll", "App.dll", true)]
    [InlineData("/out/*.dll", "sub/App.dll", false)]
    [InlineData("/out/**/*.dll", "App.dll", true)]
    [InlineData("/out/**/*.dll", "x/y/App.dll", true)]
    [InlineData("/out/bin/?.txt", "bin/a.txt", true)]
    [InlineData("/out/bin/?.txt", "bin/ab.txt", false)]
    [InlineData("/out/a.b", "axb", false)]
    public void Globs_match_like_their_documentation_says(string glob, string path, bool matches) =>
        Assert.Equal(matches, OutputGlob.Parse([glob]).Matches(path));

    [Theory]
    [InlineData("out/**")]
    [InlineData("/etc/**")]
    [InlineData("/out/../etc")]
    public void Globs_outside_out_are_refused(string glob) =>
        Assert.Throws<BuildInputException>(() => OutputGlob.Parse([glob]));
}
