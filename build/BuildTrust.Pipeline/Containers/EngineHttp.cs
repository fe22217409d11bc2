using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// Plain HTTP to an engine, reached exactly as Docker.DotNet reaches it (<see cref="DockerEndpoint.Handler"/>), for what
/// Docker.DotNet does not expose: the headers of <c>/_ping</c> (Podman names itself there, which spares its slow
/// <c>/version</c>, about 0.3 s while it asks conmon and runc theirs) and Podman's own API.
/// </summary>
internal sealed class EngineHttp(Uri endpoint, string? tlsDirectory) : IDisposable
{
    private readonly HttpClient http = new(DockerEndpoint.Handler(endpoint, tlsDirectory)) { BaseAddress = new Uri("http://engine/"), Timeout = TimeSpan.FromMinutes(2) };

    public Uri Endpoint => endpoint;

    /// <summary>The engine's kind and API version, from <c>/_ping</c>'s headers (<c>Libpod-Api-Version</c> only on Podman).</summary>
    public async Task<(EngineKind Kind, string ApiVersion, string? PodmanVersion)> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("_ping", cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ContainerEngineException($"{endpoint}: /_ping answered {(int)response.StatusCode}");
        static string? Header(HttpResponseMessage message, string name) => message.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        var podman = Header(response, "Libpod-Api-Version");
        return (podman is null ? EngineKind.Dockerd : EngineKind.Podman, Header(response, "Api-Version") ?? "", podman);
    }

    /// <summary>Sends <paramref name="content"/> (JSON) and returns the body; a refusal is a <see cref="ContainerEngineException"/> naming the call.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, JsonObject? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content is null ? null : JsonContent.Create(content) };
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new ContainerEngineException($"{endpoint}: the engine refused {method} {path}: {(int)response.StatusCode} {body.Trim()}");
        return body;
    }

    public void Dispose() => http.Dispose();
}
