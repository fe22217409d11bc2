using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace BuildTrust.Pipeline.Tests.Images;

/// <summary>
/// A one-file image in the <c>docker load</c> layout <see cref="BuildTrust.Pipeline.Images.ImageBuilder"/> writes
/// (<c>&lt;hex&gt;/layer.tar</c>, <c>&lt;id hex&gt;.json</c>, <c>manifest.json</c>), made without mmdebstrap so cache and
/// loader tests can swap archives in seconds. Deterministic: the same content gives the same id on every run.
/// </summary>
internal static class TinyImageArchive
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    /// <summary>Writes the archive and returns its image id; <paramref name="alterLayer"/> changes the layer after the config was written.</summary>
    public static string Write(string path, string content, string recipeDigest, bool alterLayer = false, string? tag = null)
    {
        var layer = Tar(("hello.txt", Encoding.UTF8.GetBytes(content)));
        var diffId = Convert.ToHexStringLower(SHA256.HashData(layer));
        var config = Encoding.UTF8.GetBytes(
            "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/hello.txt\"],\"Labels\":{\"dev.buildtrust.recipe.name\":\"buildtrust-test/tiny\"," +
            $"\"dev.buildtrust.recipe.sha256\":\"{recipeDigest}\"}}}},\"created\":\"2023-11-14T22:13:20Z\",\"os\":\"linux\",\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"sha256:{diffId}\"]}}}}");
        var id = Convert.ToHexStringLower(SHA256.HashData(config));
        if (alterLayer) layer = Tar(("hello.txt", Encoding.UTF8.GetBytes(content + " (altered)")));
        var manifest = Encoding.UTF8.GetBytes(
            $"[{{\"Config\":\"{id}.json\",\"RepoTags\":[\"{tag ?? "buildtrust-test/tiny:" + id[..12]}\"],\"Layers\":[\"{diffId}/layer.tar\"]}}]");
        File.WriteAllBytes(path, Tar(($"{diffId}/", null), ($"{diffId}/layer.tar", layer), ($"{id}.json", config), ("manifest.json", manifest)));
        return "sha256:" + id;
    }

    public static byte[] Tar(params (string Name, byte[]? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new GnuTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, name)
                {
                    Mode = content is null ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                    ModificationTime = Time,
                    AccessTime = Time,
                    ChangeTime = Time,
                };
                if (content is not null) entry.DataStream = new MemoryStream(content);
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }
}
