using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildTrust.Pipeline.Archives;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Files;
using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Pipeline.Images;

/// <summary>
/// Builds a builder image without a Dockerfile or a registry: <c>mmdebstrap</c> writes a reproducible root
/// filesystem (fixed <c>SOURCE_DATE_EPOCH</c>), a second layer adds the recipe's folders and the build
/// folders, and the image config and <c>docker load</c> archive are written byte for byte deterministically,
/// so the image id (the SHA-256 of the config) is the same on every machine that gets the same packages.
/// </summary>
public static class ImageBuilder
{
    public static BuiltImage Build(ImageRecipe recipe, string archivePath, Action<string> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(report);
        var work = Directory.CreateTempSubdirectory("buildtrust-image-");
        try
        {
            var time = DateTimeOffset.FromUnixTimeSeconds(recipe.SourceDateEpoch);
            // The host folders first: a folder that may not be copied is refused before anything runs as root.
            var overlay = Path.Combine(work.FullName, "overlay.tar");
            report("folders layer");
            WriteOverlay(recipe, overlay, time);
            cancellationToken.ThrowIfCancellationRequested();
            var rootfs = Path.Combine(work.FullName, "rootfs.tar");
            report($"mmdebstrap {recipe.Suite} ({recipe.Variant}{(recipe.Packages.Count > 0 ? " + " + string.Join(' ', recipe.Packages) : "")})");
            RunMmdebstrap(recipe, rootfs);
            cancellationToken.ThrowIfCancellationRequested();
            report("hashing layers");
            string[] layers = [rootfs, overlay];
            var diffIds = layers.AsParallel().AsOrdered().Select(layer => "sha256:" + HashFile(layer)).ToArray();
            var config = Config(recipe, diffIds, time);
            var id = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
            report($"writing {archivePath}");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(archivePath))!);
            var partial = $"{archivePath}.{Guid.NewGuid():N}.partial";
            using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var writer = new TarWriter(output, DeterministicTar.Format, leaveOpen: false))
            {
                var layerNames = diffIds.Select(diffId => $"{diffId["sha256:".Length..]}/layer.tar").ToArray();
                for (var i = 0; i < layers.Length; i++)
                {
                    writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, layerNames[i][..65], DeterministicTar.Executable, time));
                    DeterministicTar.WriteFile(writer, layerNames[i], layers[i], DeterministicTar.File, time);
                }
                var configName = $"{id["sha256:".Length..]}.json";
                DeterministicTar.WriteBytes(writer, configName, config, time);
                DeterministicTar.WriteBytes(writer, "manifest.json", Manifest(configName, $"{recipe.Name}:{id[7..19]}", layerNames), time);
            }
            File.Move(partial, archivePath, overwrite: true);
            return new BuiltImage(id, archivePath, diffIds, new FileInfo(archivePath).Length);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void RunMmdebstrap(ImageRecipe recipe, string rootfs)
    {
        var arguments = new List<string>
        {
            $"--variant={recipe.Variant}",
            "--format=tar",
            "--dpkgopt=path-exclude=/usr/share/doc/*",
            "--dpkgopt=path-exclude=/usr/share/man/*",
            "--dpkgopt=path-exclude=/usr/share/info/*",
        };
        if (recipe.Packages.Count > 0) arguments.Add($"--include={string.Join(',', recipe.Packages)}");
        // mmdebstrap reads options anywhere (Getopt::Long, permute) and stops at '--': a recipe value is then never an
        // option, such as a hook run as root. The loader has already refused values outside their grammar; this holds
        // for a recipe made any other way. (A mirror that is a file path or '-' would still be read as a sources.list.)
        arguments.AddRange(["--", recipe.Suite, rootfs, recipe.Mirror]);
        ProcessResult result;
        try
        {
            result = ExternalProcess.Run("mmdebstrap", arguments,
                environment: new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = recipe.SourceDateEpoch.ToString(CultureInfo.InvariantCulture) },
                timeout: TimeSpan.FromMinutes(30));
        }
        catch (ToolUnavailableException e)
        {
            throw new ToolUnavailableException($"{recipe.Source}: {e.Message} (install it with 'apt-get install mmdebstrap')", e);
        }
        if (result.ExitCode != 0)
            throw new ImageRecipeException($"{recipe.Source}: mmdebstrap failed (exit {result.ExitCode}): {LastLines(result.StandardError, 15)}");
    }

    private static void WriteOverlay(ImageRecipe recipe, string path, DateTimeOffset time)
    {
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new TarWriter(output, DeterministicTar.Format, leaveOpen: false);
        // The builder mounts fresh volumes here; a volume takes the mode of the image's folder, so these decide who may write.
        writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, "src/", DeterministicTar.Executable, time));
        writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, "out/", DeterministicTar.SharedFolder, time));
        writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, "build/", DeterministicTar.SharedFolder, time));
        foreach (var folder in recipe.Folders)
        {
            // Checked again here, just before reading: the folder may have changed since the recipe was loaded.
            if (ContainedPath.Problem(folder.Root, folder.From) is { } problem)
                throw new ImageRecipeException($"{folder.Origin}: 'from': '{folder.From}' {problem}; a recipe may only copy folders inside its own folder {folder.Root}");
            if (!Directory.Exists(folder.FullPath)) throw new ImageRecipeException($"{folder.Origin}: 'from': '{folder.From}' is not a folder inside {folder.Root}");
            var excluded = new HashSet<string>(folder.Exclude.Select(e => e.Trim('/')), StringComparer.Ordinal);
            var target = folder.To.Trim('/');
            writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, target + "/", DeterministicTar.Executable, time));
            WriteFolder(writer, new DirectoryInfo(folder.FullPath), "", target, excluded, time);
        }
    }

    private static void WriteFolder(TarWriter writer, DirectoryInfo directory, string relative, string target, HashSet<string> excluded, DateTimeOffset time)
    {
        foreach (var item in directory.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var itemRelative = relative.Length == 0 ? item.Name : $"{relative}/{item.Name}";
            if (excluded.Contains(itemRelative)) continue;
            var name = $"{target}/{itemRelative}";
            switch (FileKinds.Of(item.FullName))
            {
                case FileKind.SymbolicLink:
                    var entry = DeterministicTar.Entry(TarEntryType.SymbolicLink, name, DeterministicTar.Executable, time);
                    entry.LinkName = item.LinkTarget!;
                    writer.WriteEntry(entry);
                    break;
                case FileKind.Directory:
                    writer.WriteEntry(DeterministicTar.Entry(TarEntryType.Directory, name + "/", DeterministicTar.Executable, time));
                    WriteFolder(writer, new DirectoryInfo(item.FullName), itemRelative, target, excluded, time);
                    break;
                case FileKind.RegularFile when (item.UnixFileMode & (UnixFileMode.SetUser | UnixFileMode.SetGroup)) == 0:
                    var executable = (item.UnixFileMode & UnixFileMode.UserExecute) != 0;
                    DeterministicTar.WriteFile(writer, name, item.FullName, executable ? DeterministicTar.Executable : DeterministicTar.File, time);
                    break;
                default:
                    // A FIFO would block the build forever, a device read without end.
                    throw new ImageRecipeException($"'{item.FullName}' is not a plain file, folder or symbolic link (or is set-id); refusing to copy it into an image");
            }
        }
    }

    private static byte[] Config(ImageRecipe recipe, string[] diffIds, DateTimeOffset time)
    {
        var created = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("architecture", "amd64");
            json.WriteStartObject("config");
            json.WriteStartArray("Env");
            var environment = recipe.Environment.ToDictionary(StringComparer.Ordinal);
            environment.TryAdd("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            foreach (var (name, value) in environment.OrderBy(pair => pair.Key, StringComparer.Ordinal)) json.WriteStringValue($"{name}={value}");
            json.WriteEndArray();
            json.WriteStartArray("Cmd");
            json.WriteStringValue("/bin/sh");
            json.WriteEndArray();
            json.WriteString("WorkingDir", "/");
            json.WriteStartObject("Labels");
            json.WriteString("dev.buildtrust.recipe.name", recipe.Name);
            json.WriteString("dev.buildtrust.recipe.sha256", recipe.Digest);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("created", created);
            json.WriteStartArray("history");
            foreach (var step in new[] { $"mmdebstrap --variant={recipe.Variant} {recipe.Suite} {recipe.Mirror} {string.Join(',', recipe.Packages)}", "buildtrust image build: build folders and recipe folders" })
            {
                json.WriteStartObject();
                json.WriteString("created", created);
                json.WriteString("created_by", step);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("os", "linux");
            json.WriteStartObject("rootfs");
            json.WriteString("type", "layers");
            json.WriteStartArray("diff_ids");
            foreach (var diffId in diffIds) json.WriteStringValue(diffId);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static byte[] Manifest(string configName, string tag, string[] layerNames)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("Config", configName);
            json.WriteStartArray("RepoTags");
            json.WriteStringValue(tag);
            json.WriteEndArray();
            json.WriteStartArray("Layers");
            foreach (var layer in layerNames) json.WriteStringValue(layer);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string LastLines(string text, int count) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count));
}
