namespace BuildTrust.Testing.Tools;

/// <summary>A test that uses Debian's in-toto tools (<c>in-toto-run</c>, <c>in-toto-sign</c>) to make links; skipped loudly without them (./build.sh test installs them).</summary>
public sealed class InTotoFactAttribute : Xunit.FactAttribute
{
    public InTotoFactAttribute()
    {
        if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(folder => File.Exists(Path.Combine(folder, "in-toto-run"))))
            Skip = "SKIPPED: in-toto is not installed (apt-get install in-toto; ./build.sh test installs it)";
    }
}
