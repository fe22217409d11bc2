namespace BuildTrust.Testing.Containers;

/// <summary>A test that needs the test Podman service (and the two dockerd); skipped loudly when <c>./build.sh test</c> did not start it.</summary>
public sealed class PodmanFactAttribute : Xunit.FactAttribute
{
    public PodmanFactAttribute()
    {
        if (TestEngines.PodmanSkipReason is { } reason) Skip = reason;
    }
}
