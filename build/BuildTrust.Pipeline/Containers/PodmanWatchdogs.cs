using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// Podman runs no health checks without systemd (it schedules them with systemd timers), so the watchdog that ends a build
/// at its deadline cannot rely on one there. Podman's own API (libpod) takes a container <c>timeout</c> instead, which conmon,
/// the monitor process of each container, enforces by itself: it SIGKILLs the container's first process that many seconds
/// after the start even when the Podman service and BuildTrust are gone. The Docker-compatible API has no such field, so
/// the watchdog alone is created through libpod, locked down as every container is; the build then joins its process
/// namespace through the Docker-compatible API as on dockerd.
/// </summary>
internal sealed class PodmanWatchdogs(Uri endpoint, string? tlsDirectory) : IDisposable
{
    private readonly HttpClient http = new(DockerEndpoint.Handler(endpoint, tlsDirectory)) { BaseAddress = new Uri("http://engine/"), Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Creates the watchdog (not started); returns its id.</summary>
    public async Task<string> CreateAsync(string imageId, IReadOnlyList<string> entrypoint, string user, IReadOnlyDictionary<string, string> labels,
        TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var seconds = (uint)Math.Ceiling(lifetime.TotalSeconds);
        var spec = new JsonObject
        {
            ["image"] = imageId,
            ["entrypoint"] = new JsonArray([.. entrypoint.Select(part => JsonValue.Create(part))]),
            ["command"] = new JsonArray(),
            ["user"] = user,
            ["work_dir"] = "/",
            ["labels"] = new JsonObject(labels.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value)))),
            ["stdin"] = true,
            ["remove"] = true,
            ["timeout"] = seconds,
            ["netns"] = new JsonObject { ["nsmode"] = "none" },
            ["ipcns"] = new JsonObject { ["nsmode"] = "private" },
            ["read_only_filesystem"] = true,
            ["cap_drop"] = new JsonArray("ALL"),
            ["no_new_privileges"] = true,
            ["privileged"] = false,
            ["resource_limits"] = new JsonObject
            {
                ["memory"] = new JsonObject { ["limit"] = 32L << 20, ["swap"] = 32L << 20 },
                ["pids"] = new JsonObject { ["limit"] = 16 },
            },
            ["log_configuration"] = new JsonObject { ["driver"] = "k8s-file", ["size"] = 64 * 1024 },
        };
        using var response = await http.PostAsync("v4.0.0/libpod/containers/create", JsonContent.Create(spec), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new ContainerEngineException($"{endpoint}: Podman could not create the watchdog container: {(int)response.StatusCode} {body.Trim()}");
        string? id;
        try
        {
            id = JsonNode.Parse(body)?["Id"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ContainerEngineException($"{endpoint}: Podman answered the watchdog's creation with something else than a container id: {e.Message}", e);
        }
        if (id is null || id.Length != 64 || !id.All(char.IsAsciiHexDigitLower))
            throw new ContainerEngineException($"{endpoint}: Podman answered the watchdog's creation without a container id");
        await CheckArmedAsync(id, seconds, cancellationToken);
        return id;
    }

    /// <summary>Refuses to build unless the engine kept the timeout that enforces the lifetime (an older Podman would silently drop it).</summary>
    private async Task CheckArmedAsync(string id, uint seconds, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v4.0.0/libpod/containers/{id}/json", cancellationToken);
        JsonNode? inspected = null;
        if (response.IsSuccessStatusCode)
        {
            try
            {
                inspected = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (JsonException)
            {
            }
        }
        var timeout = inspected?["Config"]?["Timeout"];
        if (timeout is null || timeout.GetValueKind() != JsonValueKind.Number || timeout.GetValue<ulong>() != seconds)
            throw new ContainerEngineException($"{endpoint}: Podman did not keep the timeout that enforces the build's time limit on the watchdog; refusing to build without it");
    }

    public void Dispose() => http.Dispose();
}
