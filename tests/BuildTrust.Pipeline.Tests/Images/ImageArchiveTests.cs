using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using BuildTrust.Pipeline.Images;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Images;

/// <summary>An image archive holds one image and nothing else: whatever else docker load would act on is refused.</summary>
public sealed class ImageArchiveTests : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-image-archive-");

    public void Dispose() => directory.Dispose();

    private string Archive => directory.Combine("image.tar");

    /// <summary>The entries of a valid one-image archive, to be altered by a test.</summary>
    private List<(string Name, byte[]? Content)> Entries(out string id)
    {
        id = TinyImageArchive.Write(Archive, "archive test", new string('2', 64));
        var entries = new List<(string, byte[]?)>();
        using var reader = new TarReader(File.OpenRead(Archive));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            entries.Add((entry.Name, entry.EntryType == TarEntryType.Directory ? null : content.ToArray()));
        }
        return entries;
    }

    private ImageArchiveException Refused(IEnumerable<(string Name, byte[]? Content)> entries)
    {
        File.WriteAllBytes(Archive, TinyImageArchive.Tar([.. entries]));
        return Assert.Throws<ImageArchiveException>(() => ImageArchive.Read(Archive));
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_valid_archive_gives_the_id_its_config_hashes_to_and_the_recipe_label()
    {
        var id = TinyImageArchive.Write(Archive, "archive test", new string('2', 64));

        var contents = ImageArchive.Read(Archive);

        Assert.Equal(id, contents.Id);
        Assert.Equal(new string('2', 64), contents.RecipeDigest);
        Assert.Single(contents.DiffIds);
    }

    [Fact]
    public void A_legacy_repositories_file_is_refused()
    {
        var entries = Entries(out var id);
        entries.Add(("repositories", Text($"{{\"busybox\":{{\"latest\":\"{id[7..]}\"}}}}")));
        Assert.Contains("holds 'repositories'", Refused(entries).Message);
    }

    [Fact]
    public void A_second_image_in_the_manifest_is_refused()
    {
        var entries = Entries(out _);
        var manifest = entries.Single(e => e.Name == "manifest.json");
        var one = Encoding.UTF8.GetString(manifest.Content!).Trim('[', ']');
        entries[entries.IndexOf(manifest)] = ("manifest.json", Text($"[{one},{one}]"));
        Assert.Contains("exactly one image", Refused(entries).Message);
    }

    [Fact]
    public void A_tag_for_another_name_and_version_is_refused()
    {
        TinyImageArchive.Write(Archive, "archive test", new string('2', 64), tag: "busybox:latest");
        Assert.Contains("does not end in", Assert.Throws<ImageArchiveException>(() => ImageArchive.Read(Archive)).Message);
    }

    [Fact]
    public void A_config_whose_name_is_not_its_hash_is_refused()
    {
        var entries = Entries(out var id);
        var config = entries.Single(e => e.Name == $"{id[7..]}.json");
        entries[entries.IndexOf(config)] = (config.Name, [.. config.Content!, (byte)' ']);
        Assert.Contains("does not hash to its name", Refused(entries).Message);
    }

    [Fact]
    public void A_symbolic_link_entry_is_refused()
    {
        var entries = Entries(out _);
        File.WriteAllBytes(Archive, TinyImageArchive.Tar([.. entries]));
        using (var stream = new FileStream(Archive, FileMode.Open))
        {
            stream.Seek(-1024, SeekOrigin.End); // over the end-of-archive blocks
            using var writer = new TarWriter(stream, TarEntryFormat.Gnu);
            writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "manifest-link.json") { LinkName = "/etc/shadow" });
        }
        Assert.Contains("holds 'manifest-link.json' (SymbolicLink)", Assert.Throws<ImageArchiveException>(() => ImageArchive.Read(Archive)).Message);
    }

    [Fact]
    public void Bytes_that_are_not_a_tar_archive_are_refused()
    {
        File.WriteAllBytes(Archive, RandomNumberGenerator.GetBytes(4096));
        Assert.Throws<ImageArchiveException>(() => ImageArchive.Read(Archive));
    }

    [Fact]
    public void An_archive_path_that_is_a_symbolic_link_is_refused()
    {
        var target = directory.Combine("real.tar");
        TinyImageArchive.Write(target, "archive test", new string('2', 64));
        File.CreateSymbolicLink(Archive, target);
        Assert.Contains("is a symbolic link", Assert.Throws<ImageArchiveException>(() => ImageArchive.Read(Archive)).Message);
    }
}
