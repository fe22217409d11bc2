using System.Text;

namespace BuildTrust.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        await using var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false), 1 << 16);
        var terminal = new CliTerminal(stdout, stderr);
        return await CliApp.RunAsync(args, terminal, cancellation.Token);
    }
}
