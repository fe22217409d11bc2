using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>The CI renderings of one run, fed in turn; disposing them without completing leaves no partial report.</summary>
internal sealed class GateReportSinks(IReadOnlyList<IGateReportSink> sinks) : IAsyncDisposable
{
    public async Task AddAsync(CommitVerdict verdict)
    {
        foreach (var sink in sinks) await sink.AddAsync(verdict);
    }

    public async Task CompleteAsync(GateRunResult result)
    {
        foreach (var sink in sinks) await sink.CompleteAsync(result);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sink in sinks) await sink.DisposeAsync();
    }
}
