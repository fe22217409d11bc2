using System.Reflection;
using System.Text;

namespace BuildTrust.Demo;

/// <summary>The files the demo carries inside the tool: the sample project's sources and the C builder image recipe.</summary>
public static class DemoResources
{
    /// <summary>The builder image recipe (the repository's images/c-toolchain.yaml).</summary>
    public static string BuilderImageRecipe => Read("images/c-toolchain.yaml");

    /// <summary>The sample project's files, by path inside the sample repository.</summary>
    public static IReadOnlyDictionary<string, string> SampleProject { get; } = typeof(DemoResources).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith("sample/", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToDictionary(name => name["sample/".Length..], Read, StringComparer.Ordinal);

    private static string Read(string name)
    {
        using var stream = typeof(DemoResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the demo resource {name} is missing from {typeof(DemoResources).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        return reader.ReadToEnd();
    }
}
