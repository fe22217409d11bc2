using BuildTrust.Cli;

namespace BuildTrust.Cli.Tests;

/// <summary>Runs the CLI in process and captures what it writes.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Invoke(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = CliApp.RunAsync(args, new CliTerminal(stdout, stderr)).GetAwaiter().GetResult();
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}
