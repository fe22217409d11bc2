namespace BuildTrust.Testing.Containers;

/// <summary>A test that needs the engines of engine diversity: the two dockerd, the Podman service and the remote dockerd in its network namespace.</summary>
public sealed class RemoteEngineFactAttribute : Xunit.FactAttribute
{
    public RemoteEngineFactAttribute()
    {
        if ((TestEngines.PodmanSkipReason ?? TestEngines.RemoteSkipReason) is { } reason) Skip = reason;
    }
}
