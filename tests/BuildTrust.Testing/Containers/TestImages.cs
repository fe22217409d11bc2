using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Testing.Containers;

/// <summary>
/// The builder images of the tests, built from the shipped recipes with the real <see cref="ImageBuilder"/>
/// once per run (cached under artifacts/images by recipe content, shared with the demo) and loaded into every test engine.
/// </summary>
public static class TestImages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<BuiltImage>>> Images = new(StringComparer.Ordinal);

    /// <summary>The C toolchain image (images/c-toolchain.yaml).</summary>
    public static Task<BuiltImage> CToolchainAsync() => Get("c-toolchain.yaml", () => (Cache, ""));

    /// <summary>
    /// The .NET SDK image (images/dotnet-sdk.yaml), with the SDK of the one running the tests placed next to the recipe
    /// (a recipe copies only folders inside its own folder); the SDK versions are written into the recipe, so its
    /// digest, and so the cached image, changes with them.
    /// </summary>
    public static Task<BuiltImage> DotnetSdkAsync() => Get("dotnet-sdk.yaml", DotnetSdkBesideRecipe);

    /// <summary>An ordinary image from a plain mmdebstrap root file system (see <see cref="PlainImage"/>), loaded on engines A and B.</summary>
    public static Task<BuiltImage> PlainDebianAsync() =>
        Images.GetOrAdd("plain-debian", _ => new Lazy<Task<BuiltImage>>(() => Task.Run(async () =>
        {
            Directory.CreateDirectory(Cache);
            var image = PlainImage.Build(Cache);
            foreach (var endpoint in TestEngines.Endpoints) await OnAsync(image, endpoint, null);
            return image;
        }))).Value;

    private static readonly ConcurrentDictionary<string, Lazy<Task>> Loaded = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="image"/> into another engine (Podman, the remote one) unless it already has it; once per run and engine.</summary>
    public static Task OnAsync(BuiltImage image, Uri endpoint, string? tlsDirectory) =>
        Loaded.GetOrAdd($"{image.Id} {endpoint}", _ => new Lazy<Task>(() => Task.Run(async () =>
        {
            using var engine = DockerContainerEngine.Connect(endpoint, tlsDirectory);
            if (await engine.InspectImageAsync(image.Id, CancellationToken.None) is null) await ImageLoader.LoadAsync(engine, image, CancellationToken.None);
        }))).Value;

    public static string RepositoryRoot { get; } = FindRoot();

    private static string Cache => Path.Combine(RepositoryRoot, "artifacts", "images");

    /// <param name="context">The folder to write the recipe into, and a line to add to it.</param>
    private static Task<BuiltImage> Get(string recipeName, Func<(string Folder, string Line)> context) =>
        Images.GetOrAdd(recipeName, name => new Lazy<Task<BuiltImage>>(() => Task.Run(() => BuildAndLoadAsync(name, context)))).Value;

    private static async Task<BuiltImage> BuildAndLoadAsync(string recipeName, Func<(string Folder, string Line)> context)
    {
        var cache = Cache;
        Directory.CreateDirectory(cache);
        var (folder, line) = context();
        var recipePath = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(recipeName)}.{Environment.ProcessId}.yaml");
        await File.WriteAllTextAsync(recipePath, line + File.ReadAllText(Path.Combine(RepositoryRoot, "images", recipeName)));
        var image = ImageCache.GetOrBuild(recipePath, cache, _ => { }, CancellationToken.None);
        File.Delete(recipePath);
        foreach (var endpoint in TestEngines.Endpoints)
        {
            using var engine = DockerContainerEngine.Connect(endpoint, null);
            if (await engine.InspectImageAsync(image.Id, CancellationToken.None) is null) await ImageLoader.LoadAsync(engine, image, CancellationToken.None);
        }
        return image;
    }

    /// <summary>artifacts/images/dotnet-sdk-KEY/dotnet-sdk: hard links to the running SDK (a copy across file systems), made once.</summary>
    private static (string Folder, string Line) DotnetSdkBesideRecipe()
    {
        var root = DotnetRoot();
        var versions = string.Join(' ', Directory.GetDirectories(Path.Combine(root, "sdk")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{root}\n{versions}")))[..12];
        var folder = Path.Combine(Cache, $"dotnet-sdk-{key}");
        if (!Directory.Exists(folder))
        {
            var partial = $"{folder}.{Environment.ProcessId}.partial";
            Directory.CreateDirectory(partial);
            var sdk = Path.Combine(partial, "dotnet-sdk");
            if (ExternalProcess.Run("cp", ["-al", "--", root, sdk], timeout: TimeSpan.FromMinutes(10)).ExitCode != 0)
            {
                if (Directory.Exists(sdk)) Directory.Delete(sdk, recursive: true);
                ExternalProcess.Run("cp", ["-a", "--", root, sdk], timeout: TimeSpan.FromMinutes(10)).ThrowOnFailure();
            }
            try
            {
                Directory.Move(partial, folder);
            }
            catch (IOException)
            {
                Directory.Delete(partial, recursive: true); // another test process placed it first
            }
        }
        return (folder, $"# the SDK beside this recipe: {root} ({versions})\n");
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
