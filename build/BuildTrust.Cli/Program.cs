using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

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
        var stdout = new StreamWriter(new ReportStream(StandardOutput()), new UTF8Encoding(false), 1 << 16);
        // A terminal sees each line as it is written; a file or pipe gets them in blocks (a flush per line costs a system
        // call per commit on long ranges: a third of the wall time over 10,000 commits).
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false), 1 << 16) { AutoFlush = !Console.IsErrorRedirected };
        var exitCode = await CliApp.RunAsync(args, new CliTerminal(stdout, stderr), cancellation.Token);
        TryFlush(stderr);
        try
        {
            await stdout.FlushAsync(CancellationToken.None);
        }
        catch (OutputClosedException e)
        {
            // The report was not delivered, so whatever the verdict was, the caller cannot act on it.
            (exitCode, var message) = ExitCodes.Of(e);
            TryWrite(stderr, message);
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

    /// <summary>
    /// File descriptor 1 as a plain file stream, so that a reader that went away is an error rather than silently dropped
    /// output (the console stream ignores EPIPE); null when it was closed at start. A closed descriptor 1 is soon reused by
    /// the runtime for a file of its own (opened close-on-exec, often read-only), which must never receive the report.
    /// </summary>
    private static FileStream? StandardOutput()
    {
        if (!OperatingSystem.IsLinux()) return new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
        string info;
        try
        {
            info = File.ReadAllText("/proc/self/fdinfo/1");
        }
        catch (IOException)
        {
            return null;
        }
        var flagsLine = info.Split('\n').FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
        if (flagsLine is null) return null;
        var flags = Convert.ToInt32(flagsLine["flags:".Length..].Trim(), 8);
        const int CloseOnExec = 0x80000, AccessMode = 3, ReadOnly = 0;
        if ((flags & CloseOnExec) != 0 || (flags & AccessMode) == ReadOnly) return null;
        return new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
    }

    private static void TryFlush(TextWriter writer)
    {
        try
        {
            writer.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Standard error is gone; the exit code is all that is left.
        }
    }

    internal static void TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Standard error is gone too; the exit code is all that is left.
        }
    }
}
