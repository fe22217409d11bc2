namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// What varies between containers. The security settings are not here on purpose: the engine applies
/// the same lock-down to every container.
/// </summary>
/// <param name="ImageId">The image id (<c>sha256:...</c>) already checked against the pinned digest.</param>
/// <param name="User"><c>uid:gid</c>, never root.</param>
/// <param name="Volumes">Anonymous volumes, removed with the container: the only writable places besides <paramref name="Tmpfs"/>.</param>
/// <param name="Tmpfs">Scratch mounts (path to mount options).</param>
/// <param name="CpuSet">Cpuset such as <c>0</c>, or null for every CPU.</param>
public sealed record ContainerSpec(
    string ImageId,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Environment,
    string User,
    string Hostname,
    string Domainname,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Volumes,
    IReadOnlyDictionary<string, string> Tmpfs,
    long MemoryBytes,
    long PidsLimit,
    string? CpuSet);
