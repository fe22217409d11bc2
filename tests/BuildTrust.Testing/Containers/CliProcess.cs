using System.Diagnostics;
using System.Globalization;
using System.Text;
using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Testing.Containers;

/// <summary>
/// The real command-line tool (build/BuildTrust.Cli/bin/Release/net10.0/buildtrust.dll, built by ./build.sh compile)
/// as a child process, for what only a process shows: how it handles signals and what is left when it is killed.
/// </summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder error = new();

    private CliProcess(Process process) => this.process = process;

    public static string DllPath { get; } = Path.Combine(TestImages.RepositoryRoot, "build", "BuildTrust.Cli", "bin", "Release", "net10.0", "buildtrust.dll");

    public static CliProcess Start(params string[] arguments)
    {
        if (!File.Exists(DllPath)) throw new InvalidOperationException($"{DllPath} is missing: run ./build.sh compile first");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(DllPath);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var cli = new CliProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
        cli.process.StandardInput.Close();
        cli.process.ErrorDataReceived += (_, e) =>
        {
            lock (cli.error) cli.error.AppendLine(e.Data);
        };
        cli.process.OutputDataReceived += (_, _) => { };
        cli.process.BeginErrorReadLine();
        cli.process.BeginOutputReadLine();
        return cli;
    }

    public int Id => process.Id;

    /// <summary>What it wrote to stderr so far.</summary>
    public string Error
    {
        get
        {
            lock (error) return error.ToString();
        }
    }

    /// <summary>Sends a signal by name (TERM, HUP, INT) with kill(1).</summary>
    public void Signal(string name) => ExternalProcess.Run("kill", ["-s", name, Id.ToString(CultureInfo.InvariantCulture)]).ThrowOnFailure();

    /// <summary>SIGKILL to this process only: nothing of it runs afterwards, no clean-up included.</summary>
    public void Kill() => ExternalProcess.Run("kill", ["-s", "KILL", Id.ToString(CultureInfo.InvariantCulture)]).ThrowOnFailure();

    public int WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) throw new TimeoutException($"buildtrust did not exit within {timeout}; stderr so far:\n{Error}");
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
