using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests;

/// <summary>Real ELF binaries from the host's gcc (./build.sh test installs it), compiled in a folder of the caller's choice.</summary>
internal static class HostCompiler
{
    public static byte[] Compile(TemporaryDirectory scratch, string folder, string source, params string[] flags)
    {
        var directory = Directory.CreateDirectory(scratch.Combine(folder)).FullName;
        File.WriteAllText(Path.Combine(directory, "hello.c"), source);
        ExternalProcess.Run("gcc", [.. flags, "-o", "hello", "hello.c"], workingDirectory: directory, timeout: TimeSpan.FromMinutes(2)).ThrowOnFailure();
        return File.ReadAllBytes(Path.Combine(directory, "hello"));
    }

    public const string Hello = "#include <stdio.h>\nint main(void) { puts(\"hello\"); return 0; }\n";
}
