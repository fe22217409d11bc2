using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;

namespace BuildTrust.Demo;

/// <summary>
/// The demo's builder image, built reproducibly from the embedded recipe with mmdebstrap on first use and cached (by
/// recipe content) in <c>$BUILDTRUST_CACHE/images</c>, else <c>$XDG_CACHE_HOME/buildtrust/images</c>, else
/// <c>~/.cache/buildtrust/images</c>; then loaded into each engine that lacks it.
/// </summary>
public static class DemoImage
{
    public const string CacheVariable = "BUILDTRUST_CACHE";

    public static string CacheDirectory()
    {
        if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } cache) return Path.Combine(Path.GetFullPath(cache), "images");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(xdg is { Length: > 0 } ? xdg : Path.Combine(home, ".cache"), "buildtrust", "images");
    }

    /// <summary>Builds (or reuses) the image and loads it into every engine; returns its id.</summary>
    public static async Task<string> PrepareAsync(IReadOnlyList<Uri> engines, Action<string> progress, CancellationToken cancellationToken)
    {
        var cache = CacheDirectory();
        Directory.CreateDirectory(cache);
        var recipe = Path.Combine(cache, $"c-toolchain.{Environment.ProcessId}.yaml");
        await File.WriteAllTextAsync(recipe, DemoResources.BuilderImageRecipe, cancellationToken);
        BuiltImage image;
        try
        {
            image = await Task.Run(() => ImageCache.GetOrBuild(recipe, cache, progress, cancellationToken), cancellationToken);
        }
        finally
        {
            File.Delete(recipe);
        }
        foreach (var endpoint in engines)
        {
            using var engine = DockerContainerEngine.Connect(endpoint, null);
            if (await engine.InspectImageAsync(image.Id, cancellationToken) is null) await ImageLoader.LoadAsync(engine, image, cancellationToken);
        }
        return image.Id;
    }
}
