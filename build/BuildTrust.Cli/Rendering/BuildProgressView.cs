using System.Collections.Concurrent;
using System.Diagnostics;
using BuildTrust.Pipeline.Builders;
using Spectre.Console;

namespace BuildTrust.Cli.Rendering;

/// <summary>
/// The live display of running builders: a table (builder, phase, elapsed, last log line) redrawn in place
/// on a terminal; one plain line per phase change when stderr is a file or a pipe (CI logs).
/// </summary>
public sealed class BuildProgressView(CliTerminal terminal, IReadOnlyList<string> builders) : IProgress<BuildProgress>
{
    private readonly ConcurrentDictionary<string, BuildProgress> latest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BuildPhase> announced = new(StringComparer.Ordinal);
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly bool interactive = ReferenceEquals(terminal.Error, Console.Error) && !Console.IsErrorRedirected;

    public void Report(BuildProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        latest[value.BuilderId] = value;
        if (interactive || (announced.TryGetValue(value.BuilderId, out var phase) && phase == value.Phase)) return;
        announced[value.BuilderId] = value.Phase;
        var detail = value.LogTail is { Length: > 0 } tail ? $": {tail}" : "";
        lock (terminal.Error) terminal.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {value.BuilderId,-12} {value.Phase}{detail}");
    }

    /// <summary>Runs <paramref name="work"/>, redrawing the table while it runs when on a terminal.</summary>
    public async Task<T> ShowWhileAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!interactive) return await work();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(terminal.Error) });
        var table = new Table().Border(TableBorder.Rounded).AddColumns("builder", "phase", "elapsed", "log");
        foreach (var builder in builders) table.AddRow(builder, "waiting", "", "");
        T result = default!;
        await console.Live(table).StartAsync(async context =>
        {
            var task = work();
            while (!task.IsCompleted)
            {
                Redraw(table);
                context.Refresh();
                await Task.WhenAny(task, Task.Delay(250));
            }
            Redraw(table);
            context.Refresh();
            result = await task;
        });
        return result;
    }

    private void Redraw(Table table)
    {
        for (var row = 0; row < builders.Count; row++)
        {
            if (!latest.TryGetValue(builders[row], out var state)) continue;
            var colour = state.Phase switch { BuildPhase.Finished => "green", BuildPhase.Failed => "red", _ => "yellow" };
            table.UpdateCell(row, 1, new Markup($"[{colour}]{state.Phase}[/]"));
            table.UpdateCell(row, 2, clock.Elapsed.ToString(@"mm\:ss", System.Globalization.CultureInfo.InvariantCulture));
            table.UpdateCell(row, 3, new Text(Truncate(state.LogTail ?? "", 70)));
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
