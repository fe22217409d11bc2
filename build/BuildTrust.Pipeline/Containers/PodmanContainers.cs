using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// On Podman the build container is created through Podman's own API (libpod), with the same lock-down as on dockerd, because
/// only there can it carry a <c>timeout</c>: conmon, the monitor process of each container, SIGKILLs the container's first
/// process that many seconds after the start, by itself, even when the Podman service and BuildTrust are gone, and the kernel
/// then kills every process of its PID namespace; <c>remove</c> makes conmon's clean-up delete it. That is the watchdog
/// dockerd needs a second container and a health check for, and Podman runs no health checks without systemd. (A separate
/// watchdog whose PID namespace the build joins does not work on Podman: the build depends on it, so whichever of the two
/// Podman cleans up first may leave the other behind.) Everything after the creation (copying in, attaching, copying out,
/// removal) goes through the Docker-compatible API.
/// </summary>
internal sealed class PodmanContainers(EngineHttp http)
{
    private Uri endpoint => http.Endpoint;

    /// <summary>Creates the locked-down build container (not started); returns its id once the engine is seen to hold the lock-down and the timeout.</summary>
    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var seconds = (uint)Math.Ceiling(spec.Lifetime.TotalSeconds);
        var environment = new JsonObject();
        foreach (var variable in spec.Environment)
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            environment[variable[..equals]] = variable[(equals + 1)..];
        }
        var limits = new JsonObject
        {
            ["memory"] = new JsonObject { ["limit"] = spec.MemoryBytes, ["swap"] = spec.MemoryBytes },
            ["pids"] = new JsonObject { ["limit"] = spec.PidsLimit },
        };
        if (spec.CpuSet is not null) limits["cpu"] = new JsonObject { ["cpus"] = spec.CpuSet };
        var created = new JsonObject
        {
            ["image"] = spec.ImageId,
            ["entrypoint"] = new JsonArray([.. spec.Command.Take(1).Select(part => JsonValue.Create(part))]),
            ["command"] = new JsonArray([.. spec.Command.Skip(1).Select(part => JsonValue.Create(part))]),
            ["env"] = environment,
            ["user"] = spec.User,
            ["hostname"] = spec.Hostname,
            ["work_dir"] = spec.WorkingDirectory,
            ["labels"] = new JsonObject(spec.Labels.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value)))),
            ["stdin"] = true,
            ["remove"] = true,
            ["timeout"] = seconds,
            // Removal kills at once: the build's first process is its shell, which as a namespace's init ignores SIGTERM (10 s of grace otherwise).
            ["stop_timeout"] = 0,
            ["netns"] = new JsonObject { ["nsmode"] = "none" },
            ["ipcns"] = new JsonObject { ["nsmode"] = "private" },
            ["read_only_filesystem"] = true,
            ["cap_drop"] = new JsonArray("ALL"),
            ["no_new_privileges"] = true,
            ["privileged"] = false,
            ["shm_size"] = 64L << 20,
            ["healthconfig"] = new JsonObject { ["Test"] = new JsonArray("NONE") },
            ["resource_limits"] = limits,
            ["mounts"] = new JsonArray([.. spec.Scratch.Select(place => (JsonNode)new JsonObject
            {
                ["destination"] = place.Key,
                ["type"] = "tmpfs",
                ["source"] = "tmpfs",
                ["options"] = new JsonArray($"size={place.Value.ToString(CultureInfo.InvariantCulture)}", "mode=1777", "nosuid", "nodev"),
            })]),
            // Podman gives a new volume to the container's user: the source is mounted read-only (Podman still fills it before the start).
            ["volumes"] = new JsonArray([.. spec.Volumes.Select(path => (JsonNode)new JsonObject { ["Name"] = "", ["Dest"] = path, ["Options"] = new JsonArray("ro") })]),
            ["log_configuration"] = new JsonObject { ["driver"] = "k8s-file", ["size"] = spec.LogBytes },
        };
        if (spec.Domainname.Length > 0) created["sysctl"] = new JsonObject { ["kernel.domainname"] = spec.Domainname };
        var body = await http.SendAsync(HttpMethod.Post, "v4.0.0/libpod/containers/create", created, cancellationToken);
        string? id;
        try
        {
            id = JsonNode.Parse(body)?["Id"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ContainerEngineException($"{endpoint}: Podman answered the container's creation with something else than a container id: {e.Message}", e);
        }
        if (id is null || id.Length != 64 || !id.All(char.IsAsciiHexDigitLower))
            throw new ContainerEngineException($"{endpoint}: Podman answered the container's creation without a container id");
        return id;
    }

    /// <summary>
    /// Null when the engine holds what was asked (the lifetime above all: an older Podman would silently drop the timeout);
    /// otherwise what it dropped. Read back through libpod's inspect.
    /// </summary>
    public async Task<string?> DroppedAsync(string id, ContainerSpec spec, CancellationToken cancellationToken)
    {
        JsonNode? inspected;
        try
        {
            inspected = JsonNode.Parse(await http.SendAsync(HttpMethod.Get, $"v4.0.0/libpod/containers/{id}/json", null, cancellationToken));
        }
        catch (JsonException e)
        {
            return $"its description does not parse ({e.Message})";
        }
        static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node?.ToJsonString();
        var host = inspected?["HostConfig"];
        var expected = new (string What, string? Found, string Wanted)[]
        {
            ("the timeout that enforces the build's time limit", Text(inspected?["Config"]?["Timeout"]), ((uint)Math.Ceiling(spec.Lifetime.TotalSeconds)).ToString(CultureInfo.InvariantCulture)),
            ("the read-only root file system", Text(host?["ReadonlyRootfs"]), "true"),
            ("the network lock-down", Text(host?["NetworkMode"]), "none"),
            ("the memory limit", Text(host?["Memory"]), spec.MemoryBytes.ToString(CultureInfo.InvariantCulture)),
            ("the processes limit", Text(host?["PidsLimit"]), spec.PidsLimit.ToString(CultureInfo.InvariantCulture)),
        };
        var dropped = expected.Where(e => e.Found != e.Wanted).Select(e => $"{e.What} ({e.Found ?? "missing"}, not {e.Wanted})").ToList();
        var capabilities = host?["CapAdd"] as JsonArray;
        if (capabilities is { Count: > 0 }) dropped.Add($"no capabilities (it kept {capabilities.ToJsonString()})");
        return dropped.Count == 0 ? null : string.Join(", ", dropped);
    }

}
