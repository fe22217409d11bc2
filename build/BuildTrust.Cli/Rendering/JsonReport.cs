using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildTrust.Cli.Rendering;

/// <summary>Writes machine reports: the same result objects the text output is made from, as JSON on stdout.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Writes <c>{ "schema": ..., "exitCode": ..., "report": ... }</c>.</summary>
    public static async Task WriteAsync<T>(TextWriter output, string schema, int exitCode, T report)
    {
        await output.WriteAsync(JsonSerializer.Serialize(new Envelope<T>(schema, exitCode, report), Options));
        await output.WriteLineAsync();
    }

    private sealed record Envelope<T>(string Schema, int ExitCode, T Report);
}
