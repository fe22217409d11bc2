using System.ComponentModel;
using System.Diagnostics;

namespace BuildTrust.Pipeline.Processes;

/// <summary>Runs an external tool: stdin given or closed, stdout and stderr drained together, killed on timeout.</summary>
public static class ExternalProcess
{
    /// <param name="fileName">A program name, found on PATH only, or a path (containing '/').</param>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        byte[]? standardInput = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var program = fileName.Contains('/', StringComparison.Ordinal) ? Path.GetFullPath(fileName)
            : OnPath(fileName) ?? throw new ToolUnavailableException($"could not start '{fileName}': it is not on PATH (is it installed?)");
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
        {
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }
        var command = $"{fileName} {string.Join(' ', info.ArgumentList)}";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ToolUnavailableException($"could not start {fileName}");
        }
        catch (Win32Exception e)
        {
            throw new ToolUnavailableException($"could not start '{fileName}' (is it installed and on PATH?): {e.Message}", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (standardInput is not null) process.StandardInput.BaseStream.Write(standardInput);
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{command}' did not finish in time");
            }
            return new ProcessResult(command, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }

    /// <summary>
    /// The first executable file named <paramref name="name"/> in PATH's absolute folders, as execvp finds it. .NET's own
    /// lookup tries the program's folder and the current directory before PATH: run from inside a cloned repository,
    /// a committed file named 'git' or 'mmdebstrap' would be started (as root, for image build) instead of the tool.
    /// </summary>
    private static string? OnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (!Path.IsPathRooted(folder)) continue; // an empty or relative entry would mean the current directory
            var candidate = new FileInfo(Path.Combine(folder, name));
            if (candidate.Exists && (candidate.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
                return candidate.FullName;
        }
        return null;
    }
}
