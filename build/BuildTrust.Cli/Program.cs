using System.Runtime.InteropServices;
using System.Text;

namespace BuildTrust.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // SIGTERM (timeout, CI cancellation, systemd) and SIGHUP (a closed terminal) stop a command like Ctrl-C does: containers are
        // removed and nothing half-written is left. A second signal is not intercepted, so it ends the process at once.
        using var interrupt = CancelOnFirst(PosixSignal.SIGINT, cancellation);
        using var terminate = CancelOnFirst(PosixSignal.SIGTERM, cancellation);
        using var hangUp = CancelOnFirst(PosixSignal.SIGHUP, cancellation);
        await using var stdout = new StreamWriter(new ReportStream(Console.OpenStandardOutput(), StandardOutputIsOpen()), new UTF8Encoding(false), 1 << 16);
        await using var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false), 1 << 16) { AutoFlush = true };
        var terminal = new CliTerminal(stdout, stderr);
        var exitCode = await CliApp.RunAsync(args, terminal, cancellation.Token);
        try
        {
            await stdout.FlushAsync(CancellationToken.None);
        }
        catch (IOException e)
        {
            var (code, message) = ExitCodes.Of(e);
            TryWrite(stderr, message);
            return exitCode == ExitCodes.Passed ? code : exitCode;
        }
        return exitCode;
    }

    private static PosixSignalRegistration CancelOnFirst(PosixSignal signal, CancellationTokenSource cancellation) =>
        PosixSignalRegistration.Create(signal, context =>
        {
            if (cancellation.IsCancellationRequested) return;
            context.Cancel = true;
            cancellation.Cancel();
        });

    /// <summary>Whether file descriptor 1 was open when the process started (with <c>--json &gt;&amp;-</c> it is not).</summary>
    private static bool StandardOutputIsOpen() =>
        !OperatingSystem.IsLinux() || new FileInfo("/proc/self/fd/1").LinkTarget is not null;

    internal static void TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (IOException)
        {
            // Standard error is gone too; the exit code is all that is left.
        }
    }
}
