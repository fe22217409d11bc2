namespace BuildTrust.Pipeline.Images;

/// <summary>
/// Built image archives kept by recipe content (<c>&lt;name&gt;-&lt;recipe digest&gt;.tar</c> and its id), so a
/// recipe is built once per machine. A lock file serialises processes building the same recipe at once.
/// </summary>
public static class ImageCache
{
    public static BuiltImage GetOrBuild(string recipePath, string cacheDirectory, Action<string> report, CancellationToken cancellationToken)
    {
        var recipe = ImageRecipeLoader.Load(recipePath);
        Directory.CreateDirectory(cacheDirectory);
        var archive = Path.Combine(cacheDirectory, $"{recipe.Name.Replace('/', '-')}-{recipe.Digest[..16]}.tar");
        using var gate = Lock(archive + ".lock", cancellationToken);
        if (File.Exists(archive) && File.Exists(archive + ".id"))
            return new BuiltImage(File.ReadAllText(archive + ".id").Trim(), archive, [], new FileInfo(archive).Length);
        var image = ImageBuilder.Build(recipe, archive, report, cancellationToken);
        File.WriteAllText(archive + ".id", image.Id);
        return image;
    }

    private static FileStream Lock(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
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
