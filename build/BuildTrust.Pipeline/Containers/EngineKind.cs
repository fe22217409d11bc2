namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// Which engine answers behind the Docker API: dockerd, or Podman's Docker-compatible service (<c>podman system service</c>).
/// Recorded in every provenance (<c>engine-kind</c>): builders on different kinds of engine fail less often together.
/// </summary>
public enum EngineKind
{
    Dockerd,
    Podman,
}
