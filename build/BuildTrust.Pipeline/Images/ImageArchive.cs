using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using BuildTrust.Pipeline.Files;
using BuildTrust.Verifiers.Files;

namespace BuildTrust.Pipeline.Images;

/// <summary>
/// Reads a <c>docker load</c> archive in the layout <see cref="ImageBuilder"/> writes and proves which image it holds:
/// exactly one image, whose config hashes to its id, whose layers hash to the config's <c>diff_ids</c>, and nothing
/// else (no second image, no legacy <c>repositories</c> file, no links). What an engine loads from such an archive is
/// that image and only that image, whatever the engine checks itself.
/// </summary>
public static partial class ImageArchive
{
    private const int MaxEntries = 64;
    private const int MaxJsonBytes = 1 << 20;
    public const string RecipeDigestLabel = "dev.buildtrust.recipe.sha256";

    public static ImageArchiveContents Read(string path)
    {
        try
        {
            if (FileKinds.Of(path) is var kind and not FileKind.RegularFile) throw new ImageArchiveException($"{path}: is {FileKinds.Describe(kind)}; an image archive must be a regular file");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            return Read(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageArchiveException($"{path}: cannot read the image archive: {e.Message}", e);
        }
    }

    /// <summary>Reads from the current position of <paramref name="stream"/> to its end; <paramref name="source"/> names it in errors.</summary>
    public static ImageArchiveContents Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var layerDigests = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = 0;
        try
        {
            using var reader = new TarReader(stream, leaveOpen: true);
            while (reader.GetNextEntry() is { } entry)
            {
                if (++entries > MaxEntries) throw Error(source, $"holds more than {MaxEntries} entries");
                var name = entry.Name;
                if (files.ContainsKey(name) || layerDigests.ContainsKey(name)) throw Error(source, $"holds '{name}' twice");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory when LayerFolderPattern().IsMatch(name):
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile when LayerPattern().IsMatch(name):
                        layerDigests[name] = entry.DataStream is null ? Hex(SHA256.HashData([])) : Hex(SHA256.HashData(entry.DataStream));
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile when name == "manifest.json" || ConfigPattern().IsMatch(name):
                        if (entry.Length > MaxJsonBytes) throw Error(source, $"'{name}' is larger than {MaxJsonBytes} bytes");
                        var bytes = new byte[entry.Length];
                        entry.DataStream?.ReadExactly(bytes);
                        files[name] = bytes;
                        break;
                    default:
                        throw Error(source, $"holds '{name}' ({entry.EntryType}), which is not part of a BuildTrust image archive");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException or NotSupportedException)
        {
            throw Error(source, $"is not a readable tar archive: {e.Message}");
        }
        return Verify(source, files, layerDigests);
    }

    private static ImageArchiveContents Verify(string source, Dictionary<string, byte[]> files, Dictionary<string, string> layerDigests)
    {
        if (!files.TryGetValue("manifest.json", out var manifestBytes)) throw Error(source, "has no manifest.json");
        try
        {
            using var manifest = JsonDocument.Parse(manifestBytes);
            if (manifest.RootElement is not { ValueKind: JsonValueKind.Array } images || images.GetArrayLength() != 1)
                throw Error(source, "manifest.json must list exactly one image");
            var image = images[0];
            var configName = image.GetProperty("Config").GetString() ?? "";
            if (!files.TryGetValue(configName, out var config) || files.Count != 2)
                throw Error(source, $"the manifest's config '{configName}' is not the archive's one config file");
            var id = "sha256:" + Hex(SHA256.HashData(config));
            if (configName != $"{id[7..]}.json") throw Error(source, $"the config '{configName}' does not hash to its name (it is {id})");
            string[] layers = [.. image.GetProperty("Layers").EnumerateArray().Select(layer => layer.GetString() ?? "")];
            if (layers.Length != layerDigests.Count || layers.Distinct(StringComparer.Ordinal).Count() != layers.Length || layers.Any(layer => !layerDigests.ContainsKey(layer)))
                throw Error(source, "the manifest's layers are not exactly the layer files the archive holds");
            if (image.TryGetProperty("RepoTags", out var tags) && tags.ValueKind != JsonValueKind.Null
                && tags.EnumerateArray().Any(tag => tag.GetString() is not { } text || !text.EndsWith($":{id[7..19]}", StringComparison.Ordinal)))
                throw Error(source, $"the manifest tags the image with a name that does not end in ':{id[7..19]}'");
            using var configDocument = JsonDocument.Parse(config);
            string[] diffIds = [.. configDocument.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString() ?? "")];
            var actual = layers.Select(layer => "sha256:" + layerDigests[layer]).ToArray();
            if (!diffIds.SequenceEqual(actual, StringComparer.Ordinal))
                throw Error(source, $"a layer does not hash to the diff_id its config ({id}) names: the archive was altered");
            string? recipeDigest = null;
            if (configDocument.RootElement.TryGetProperty("config", out var settings) && settings.TryGetProperty("Labels", out var labels)
                && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(RecipeDigestLabel, out var label))
                recipeDigest = label.GetString();
            return new ImageArchiveContents(id, recipeDigest, diffIds);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Error(source, $"has a malformed manifest.json or config: {e.Message}");
        }
    }

    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest);

    private static ImageArchiveException Error(string source, string problem) => new($"{source}: {problem}");

    [GeneratedRegex(@"^[0-9a-f]{64}/\z")]
    private static partial Regex LayerFolderPattern();

    [GeneratedRegex(@"^[0-9a-f]{64}/layer\.tar\z")]
    private static partial Regex LayerPattern();

    [GeneratedRegex(@"^[0-9a-f]{64}\.json\z")]
    private static partial Regex ConfigPattern();
}
