using System.Runtime.InteropServices;
using System.Text;

namespace BuildTrust.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        // SIGTERM (timeout, CI cancellation, systemd) and SIGHUP (a closed terminal) stop a command as Ctrl-C does:
        // it cleans up (containers removed) and exits with its code instead of dying half-way.
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cancellation.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Cancel);
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        await using var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false), 1 << 16);
        var terminal = new CliTerminal(stdout, stderr);
        return await CliApp.RunAsync(args, terminal, cancellation.Token);
    }
}
