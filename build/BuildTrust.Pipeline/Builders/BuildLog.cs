using System.Text;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// The build's output, written to <c>build.log</c> up to the log limit (container output is hostile; more marks
/// the log <see cref="Overflowed"/> and the build fails), with the last line kept for the live display. It reads
/// the wrapper's own lines: those before <c>buildtrust: start</c> (the recipe has not run yet, so cannot forge
/// them), and after it the lines that carry this run's token (<c>finished</c>, <c>full</c>, <c>oom-kills</c>),
/// which the recipe can only forge about itself.
/// </summary>
internal sealed class BuildLog(string path, long maxBytes, string token) : IAsyncDisposable
{
    private readonly FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
    private readonly StringBuilder pendingLine = new();
    private readonly Dictionary<string, string> wrapperLines = new(StringComparer.Ordinal);
    private readonly List<string> fullPlaces = [];
    private long received;
    private bool started;
    private bool disposed;

    public string? Tail { get; private set; }

    public IReadOnlyDictionary<string, string> WrapperLines => wrapperLines;

    /// <summary>The build wrote more than the limit; what came after it is not in the file.</summary>
    public bool Overflowed => received > maxBytes;

    /// <summary>The wrapper's report once the command has ended: its exit status, or null while it runs.</summary>
    public int? ExitStatus { get; private set; }

    /// <summary>The wrapper could not prepare the working directory (the recipe never ran).</summary>
    public bool SetupFailed { get; private set; }

    /// <summary>Writable places the wrapper found full after a failed command.</summary>
    public IReadOnlyList<string> FullPlaces => fullPlaces;

    /// <summary>Processes the kernel killed at the memory limit, as the build's memory cgroup counts them.</summary>
    public long OomKills { get; private set; }

    public async Task AppendAsync(ReadOnlyMemory<byte> chunk)
    {
        var room = (int)Math.Min(chunk.Length, Math.Max(0, maxBytes - received));
        if (room > 0) await file.WriteAsync(chunk[..room]);
        var wasOver = Overflowed;
        received += chunk.Length;
        if (Overflowed && !wasOver) await file.WriteAsync(Encoding.UTF8.GetBytes($"\n[buildtrust: the output exceeded {maxBytes} bytes; the build was stopped]\n"));
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
        if (!line.StartsWith("buildtrust: ", StringComparison.Ordinal)) return;
        var body = line["buildtrust: ".Length..];
        if (!started)
        {
            if (body == "start")
            {
                started = true;
                return;
            }
            var space = body.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0) wrapperLines.TryAdd(body[..space], body[(space + 1)..]);
        }
        var parts = body.Split(' ');
        if (parts.Length < 2 || parts[1] != token) return;
        switch (parts[0])
        {
            case "setup-failed":
                SetupFailed = true;
                break;
            case "full" when parts.Length == 3:
                fullPlaces.Add(parts[2]);
                break;
            case "oom-kills" when parts.Length == 3 && long.TryParse(parts[2], out var kills):
                OomKills = kills;
                break;
            case "finished" when parts.Length == 3 && int.TryParse(parts[2], out var status):
                ExitStatus ??= status;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        await file.DisposeAsync();
    }
}
