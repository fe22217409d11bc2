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

    /// <summary>A Podman service (<c>podman system service</c>), started by <c>./build.sh test</c> next to the two dockerd.</summary>
    public static Uri? Podman { get; } = Environment.GetEnvironmentVariable("BUILDTRUST_TEST_PODMAN") is { Length: > 0 } podman ? new Uri(podman) : null;

    /// <summary>A dockerd in a network namespace of its own, reached only over mutual TLS (<see cref="RemoteTls"/>) on that namespace's address.</summary>
    public static Uri? Remote { get; } = Environment.GetEnvironmentVariable("BUILDTRUST_TEST_REMOTE_ENGINE") is { Length: > 0 } remote ? new Uri(remote) : null;

    /// <summary>The client's TLS folder for <see cref="Remote"/> (ca.pem, cert.pem, key.pem).</summary>
    public static string? RemoteTls { get; } = Environment.GetEnvironmentVariable("BUILDTRUST_TEST_REMOTE_TLS_DIR");

    public static string? PodmanSkipReason => SkipReason ?? (Podman is null
        ? "SKIPPED: no test Podman service: BUILDTRUST_TEST_PODMAN is not set. Run './build.sh test', which installs podman and starts 'podman system service'."
        : null);

    public static string? RemoteSkipReason => SkipReason ?? (Remote is null || RemoteTls is null
        ? "SKIPPED: no remote test engine: BUILDTRUST_TEST_REMOTE_ENGINE is not set. Run './build.sh test', which starts a dockerd in a network namespace."
        : null);
}
