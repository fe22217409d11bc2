using System.Collections.Concurrent;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;

namespace BuildTrust.Testing.Containers;

/// <summary>
/// The builder images of the tests, built from the shipped recipes with the real <see cref="ImageBuilder"/>
/// once per run (cached under artifacts/images by recipe content, shared with the demo) and loaded into every test engine.
/// </summary>
public static class TestImages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<BuiltImage>>> Images = new(StringComparer.Ordinal);

    /// <summary>The C toolchain image (images/c-toolchain.yaml).</summary>
    public static Task<BuiltImage> CToolchainAsync() => Get("c-toolchain.yaml", recipe => recipe);

    /// <summary>The .NET SDK image (images/dotnet-sdk.yaml), with the SDK copied from the one running the tests.</summary>
    public static Task<BuiltImage> DotnetSdkAsync() => Get("dotnet-sdk.yaml", recipe => recipe.Replace("/usr/share/dotnet", DotnetRoot(), StringComparison.Ordinal)
        .Replace($"to: {DotnetRoot()}", "to: /usr/share/dotnet", StringComparison.Ordinal));

    public static string RepositoryRoot { get; } = FindRoot();

    private static Task<BuiltImage> Get(string recipeName, Func<string, string> adapt) =>
        Images.GetOrAdd(recipeName, name => new Lazy<Task<BuiltImage>>(() => Task.Run(() => BuildAndLoadAsync(name, adapt)))).Value;

    private static async Task<BuiltImage> BuildAndLoadAsync(string recipeName, Func<string, string> adapt)
    {
        var cache = Path.Combine(RepositoryRoot, "artifacts", "images");
        Directory.CreateDirectory(cache);
        var recipePath = Path.Combine(cache, $"{Path.GetFileNameWithoutExtension(recipeName)}.{Environment.ProcessId}.yaml");
        await File.WriteAllTextAsync(recipePath, adapt(File.ReadAllText(Path.Combine(RepositoryRoot, "images", recipeName))));
        var image = ImageCache.GetOrBuild(recipePath, cache, _ => { }, CancellationToken.None);
        File.Delete(recipePath);
        foreach (var endpoint in TestEngines.Endpoints)
        {
            using var engine = DockerContainerEngine.Connect(endpoint, null);
            if (await engine.InspectImageAsync(image.Id, CancellationToken.None) is null) await ImageLoader.LoadAsync(engine, image, CancellationToken.None);
        }
        return image;
    }

    private static string DotnetRoot()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BuildTrust.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("BuildTrust.sln not found above the test assembly");
    }
}
