using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Testing.Containers;

/// <summary>
/// An ordinary image, as someone else would publish it: the root file system that a plain <c>mmdebstrap</c> writes (Debian
/// with gcc and make, nothing of BuildTrust: no <c>/build</c>, no <c>/out</c>, no <c>/src</c>), as the only layer of a
/// <c>docker load</c> archive whose config is fixed, so that its id is the same on every engine (a <c>docker import</c>
/// would stamp the time into it). Cached under artifacts/images by the mmdebstrap command line.
/// </summary>
internal static class PlainImage
{
    private static readonly string[] Mmdebstrap =
        ["--quiet", "--variant=essential", "--include=gcc,libc6-dev,make", "bookworm", "{0}", "http://deb.debian.org/debian"];

    public static BuiltImage Build(string cache)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', Mmdebstrap))))[..16];
        var archive = Path.Combine(cache, $"plain-debian-{key}.tar");
        if (File.Exists(archive)) return Describe(archive);
        var work = Directory.CreateTempSubdirectory("buildtrust-plain-image-");
        try
        {
            var rootfs = Path.Combine(work.FullName, "rootfs.tar");
            var result = ExternalProcess.Run("mmdebstrap", [.. Mmdebstrap.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, a, rootfs))],
                environment: new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1700000000" }, timeout: TimeSpan.FromMinutes(15));
            if (result.ExitCode != 0) throw new InvalidOperationException($"mmdebstrap failed: {result.StandardError}");
            var diffId = "sha256:" + HashFile(rootfs);
            var config = Encoding.UTF8.GetBytes(
                "{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"/bin/sh\"],\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"]}," +
                $"\"created\":\"2023-11-14T22:13:20Z\",\"os\":\"linux\",\"rootfs\":{{\"diff_ids\":[\"{diffId}\"],\"type\":\"layers\"}}}}");
            var id = Convert.ToHexStringLower(SHA256.HashData(config));
            var partial = $"{archive}.{Environment.ProcessId}.partial";
            using (var output = File.Create(partial))
            using (var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: false))
            {
                var layer = $"{diffId[7..]}/layer.tar";
                using (var content = File.OpenRead(rootfs)) writer.WriteEntry(Entry(layer, content));
                writer.WriteEntry(Entry($"{id}.json", new MemoryStream(config)));
                writer.WriteEntry(Entry("manifest.json", new MemoryStream(Encoding.UTF8.GetBytes(
                    $"[{{\"Config\":\"{id}.json\",\"RepoTags\":[\"plain-debian:{id[..12]}\"],\"Layers\":[\"{layer}\"]}}]"))));
            }
            File.Move(partial, archive, overwrite: true);
            return Describe(archive);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static BuiltImage Describe(string archive)
    {
        var contents = ImageArchive.Read(archive);
        return new BuiltImage(contents.Id, archive, [], new FileInfo(archive).Length);
    }

    private static GnuTarEntry Entry(string name, Stream content) => new(TarEntryType.RegularFile, name)
    {
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1700000000),
        DataStream = content,
    };

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
