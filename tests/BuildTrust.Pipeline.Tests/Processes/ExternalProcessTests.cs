using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Processes;

public sealed class ExternalProcessTests
{
    /// <summary>
    /// .NET's Process.Start looks for a bare program name in the current directory before PATH: run from inside a cloned
    /// repository, a committed executable named 'git', 'mmdebstrap' or 'diffoscope' would be started instead of the tool.
    /// </summary>
    [Fact]
    public void A_program_in_the_current_directory_but_not_on_path_is_not_started()
    {
        var name = $"buildtrust-probe-{Guid.NewGuid():N}";
        var program = Path.Combine(Environment.CurrentDirectory, name);
        using var marker = new TemporaryDirectory("buildtrust-probe-");
        File.WriteAllText(program, $"#!/bin/sh\ntouch '{marker.Combine("ran")}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var error = Assert.Throws<ToolUnavailableException>(() => ExternalProcess.Run(name, []));

            Assert.Contains("is not on PATH", error.Message);
            Assert.False(File.Exists(marker.Combine("ran")), "a program from the current directory was started");
        }
        finally
        {
            File.Delete(program);
        }
    }

    [Fact]
    public void A_program_on_path_is_started_from_path()
    {
        var result = ExternalProcess.Run("git", ["--version"]).ThrowOnFailure();

        Assert.StartsWith("git version", result.StandardOutput);
    }
}
