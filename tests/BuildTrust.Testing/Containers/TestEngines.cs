namespace BuildTrust.Testing.Containers;

/// <summary>
/// The Docker engines the tests build on: <c>./build.sh test</c> starts two daemons (own data root, exec root
/// and socket) and names them in <c>BUILDTRUST_TEST_ENGINES</c>. Without it (a bare <c>dotnet test</c>),
/// engine tests are skipped with that reason.
/// </summary>
public static class TestEngines
{
    public const string Variable = "BUILDTRUST_TEST_ENGINES";

    public static IReadOnlyList<Uri> Endpoints { get; } =
        [.. (Environment.GetEnvironmentVariable(Variable) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(e => new Uri(e))];

    public static string? SkipReason => Endpoints.Count >= 2 ? null
        : $"SKIPPED: no test Docker engines: {Variable} is not set. Run './build.sh test', which installs docker.io and starts two dockerd.";

    public static Uri A => Endpoints[0];

    public static Uri B => Endpoints[1];
}
