using System.Runtime.InteropServices;

namespace BuildTrust.Cli;

/// <summary>
/// Starts the framework-dependent build shipped in <c>jit/</c> beside the native executable (<see cref="JitCommands"/>) with
/// <c>execv</c>: the process becomes <c>dotnet jit/buildtrust.dll ARGS</c>, so its id, standard streams, signals (SIGINT,
/// SIGTERM, SIGHUP cancel, as <see cref="Program"/> sets up there) and exit code are the JIT build's own, with nothing in between.
/// Called first thing in <c>Main</c>, before the native runtime has set up signal handling or the console.
/// </summary>
internal static partial class JitBuild
{
    public static int Exec(string[] args)
    {
        var entry = Path.Combine(AppContext.BaseDirectory, "jit", "buildtrust.dll");
        if (!File.Exists(entry))
            return Fail($"error: this command needs the framework-dependent build of buildtrust, which is not installed beside the native one ({entry}); reinstall the tool");
        var dotnet = Muxer();
        if (dotnet is null)
            return Fail("error: this command needs the .NET runtime: 'dotnet' was found neither in $DOTNET_ROOT nor on $PATH (install the .NET 10 runtime)");
        string?[] argv = [dotnet, entry, .. args, null];
        Execv(dotnet, argv);
        return Fail($"error: could not start {dotnet} {entry}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    /// <summary>The <c>dotnet</c> host, where a framework-dependent .NET tool's launcher would find it, or on the PATH.</summary>
    private static string? Muxer()
    {
        var roots = new List<string?> { Environment.GetEnvironmentVariable("DOTNET_ROOT") };
        roots.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        roots.Add(ReadInstallLocation());
        roots.AddRange(["/usr/share/dotnet", "/usr/lib/dotnet"]);
        return roots.Where(r => !string.IsNullOrEmpty(r)).Select(r => Path.Combine(r!, "dotnet")).FirstOrDefault(File.Exists);
    }

    private static string? ReadInstallLocation()
    {
        try
        {
            return File.Exists("/etc/dotnet/install_location") ? File.ReadAllText("/etc/dotnet/install_location").Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Fail(string message)
    {
        Program.TryWrite(Console.Error, message);
        return ExitCodes.InfrastructureUnavailable;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
