namespace BuildTrust.Testing.Containers;

/// <summary>A test that runs the real mmdebstrap (as root); skipped loudly when it is missing (./build.sh test installs it).</summary>
public sealed class MmdebstrapFactAttribute : Xunit.FactAttribute
{
    public MmdebstrapFactAttribute()
    {
        if (SkipReason is { } reason) Skip = reason;
    }

    public static string? SkipReason { get; } =
        !Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(folder => File.Exists(Path.Combine(folder, "mmdebstrap")))
            ? "SKIPPED: mmdebstrap is not installed (apt-get install mmdebstrap; ./build.sh test installs it)"
            : Environment.UserName != "root" ? "SKIPPED: mmdebstrap runs as root here; run the tests as root" : null;
}
