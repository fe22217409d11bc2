using System.Text;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// The build's output, written to <c>build.log</c> up to a size limit (container output is hostile), with
/// the last line kept for the live display and the wrapper's own lines (before <c>buildtrust: start</c>) parsed.
/// </summary>
internal sealed class BuildLog(string path, long maxBytes) : IAsyncDisposable
{
    private readonly FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
    private readonly StringBuilder pendingLine = new();
    private readonly Dictionary<string, string> wrapperLines = new(StringComparer.Ordinal);
    private long written;
    private bool truncated;
    private bool started;
    private bool disposed;

    public string? Tail { get; private set; }

    public IReadOnlyDictionary<string, string> WrapperLines => wrapperLines;

    public async Task AppendAsync(ReadOnlyMemory<byte> chunk)
    {
        var room = (int)Math.Min(chunk.Length, Math.Max(0, maxBytes - written));
        if (room > 0) await file.WriteAsync(chunk[..room]);
        written += room;
        if (room < chunk.Length && !truncated)
        {
            truncated = true;
            await file.WriteAsync(Encoding.UTF8.GetBytes($"\n[buildtrust: log truncated at {maxBytes} bytes]\n"));
        }
        foreach (var c in Encoding.UTF8.GetString(chunk.Span))
        {
            if (c == '\n') EndLine();
            else if (pendingLine.Length < 400 && !char.IsControl(c)) pendingLine.Append(c);
        }
        if (pendingLine.Length > 0) Tail = pendingLine.ToString();
    }

    private void EndLine()
    {
        var line = pendingLine.ToString();
        pendingLine.Clear();
        if (line.Length > 0) Tail = line;
        if (started || !line.StartsWith("buildtrust: ", StringComparison.Ordinal)) return;
        var body = line["buildtrust: ".Length..];
        if (body == "start")
        {
            started = true;
            return;
        }
        var space = body.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0) wrapperLines.TryAdd(body[..space], body[(space + 1)..]);
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        await file.DisposeAsync();
    }
}
