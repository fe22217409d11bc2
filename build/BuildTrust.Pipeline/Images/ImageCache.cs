namespace BuildTrust.Pipeline.Images;

/// <summary>
/// Built image archives kept by recipe content (<c>&lt;name&gt;-&lt;recipe digest&gt;.tar</c>), so a recipe is built once per
/// machine. A lock file serialises processes building the same recipe at once. A cached archive is verified before it
/// is used: the image id is computed from the archive itself, its layers must hash to its config, and its label must
/// name this recipe's digest; anything else is refused, never rebuilt over silently. (Whoever may write the cache
/// folder can still put a consistent image of their own there: keep it writable by its owner only.)
/// </summary>
public static class ImageCache
{
    public static BuiltImage GetOrBuild(string recipePath, string cacheDirectory, Action<string> report, CancellationToken cancellationToken)
    {
        var recipe = ImageRecipeLoader.Load(recipePath);
        Directory.CreateDirectory(cacheDirectory);
        var archive = Path.Combine(cacheDirectory, $"{recipe.Name.Replace('/', '-')}-{recipe.Digest[..16]}.tar");
        using var gate = Lock(archive + ".lock", cancellationToken);
        if (File.Exists(archive) || new FileInfo(archive).LinkTarget is not null)
        {
            var cached = ImageArchive.Read(archive);
            if (cached.RecipeDigest != recipe.Digest)
                throw new ImageArchiveException($"{archive}: is not the image of {recipePath} (its label names recipe {cached.RecipeDigest ?? "none"}, the recipe is {recipe.Digest}); delete it to rebuild");
            return new BuiltImage(cached.Id, archive, cached.DiffIds, new FileInfo(archive).Length);
        }
        return ImageBuilder.Build(recipe, archive, report, cancellationToken);
    }

    private static FileStream Lock(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Opening would follow a planted link and create its target (as root): refuse links instead.
            if (new FileInfo(path).LinkTarget is { } target) throw new ImageArchiveException($"{path}: is a symbolic link (to '{target}'); refusing to use it as the cache's lock file");
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
