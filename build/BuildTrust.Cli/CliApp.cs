using System.CommandLine;
using BuildTrust.Cli.Commands;

namespace BuildTrust.Cli;

/// <summary>Builds the command tree and runs one invocation. Usage errors exit 2, as any bad input does.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliTerminal terminal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var parse = Parse(args, terminal);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Program.TryWrite(terminal.Error, $"error: {error.Message}");
            Program.TryWrite(terminal.Error, "Run 'buildtrust --help' for usage.");
            return ExitCodes.BadInput;
        }
        // ProcessTerminationTimeout = null: Program turns SIGINT, SIGTERM and SIGHUP into the cancellation token and
        // waits for the clean-up; System.CommandLine's own handler would exit 130/143 two seconds after the signal.
        var configuration = new InvocationConfiguration
        {
            Output = terminal.Out, Error = terminal.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            var (exitCode, message) = ExitCodes.Of(e);
            Program.TryWrite(terminal.Error, message);
            return exitCode;
        }
    }

    /// <summary>Parses against the command tree; the native executable's tree holds only the commands it runs (<see cref="JitCommands"/>).</summary>
    internal static ParseResult Parse(string[] args, CliTerminal terminal)
    {
        var root = new RootCommand(
            "BuildTrust decides whether a release may be signed: every commit hardware-signed by an authorised " +
            "maintainer, under a strict policy. Exit codes: 0 passed, 1 verification failed, 2 bad input or usage, " +
            "3 infrastructure unavailable. Human output goes to stderr; --json writes a machine report to stdout.")
        {
            InitCommand.Create(terminal),
            PolicyCommand.Create(terminal),
            VerifyCommitsCommand.Create(terminal),
            ReviewCommand.Create(terminal),
        };
        if (JitCommands.Included)
        {
            root.Add(ImageCommand.Create(terminal));
            root.Add(BuildCommand.Create(terminal));
            root.Add(RebuildCommand.Create(terminal));
            root.Add(CompareCommand.Create(terminal));
            root.Add(SignCommand.Create(terminal));
            root.Add(ReleaseCommand.Create(terminal));
        }
        root.Add(ExplainCommand.Create(terminal));
        root.Add(AuditCommand.Create(terminal));
        root.Add(ImportCommand.Create(terminal));
        if (JitCommands.Included) root.Add(DemoCommand.Create(terminal));
        return root.Parse(args);
    }
}
