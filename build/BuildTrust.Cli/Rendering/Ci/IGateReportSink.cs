using BuildTrust.Verifiers.Commits;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>
/// One more rendering of a source gate run besides the text report (CI annotations, a job summary, JUnit, SARIF). Each is
/// fed the same scope, verdicts and summary that the JSON report serialises, while they stream in, and says nothing they
/// do not hold.
/// </summary>
internal interface IGateReportSink : IAsyncDisposable
{
    Task AddAsync(CommitVerdict verdict);

    Task CompleteAsync(GateRunResult result);
}
