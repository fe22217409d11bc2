namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// What varies between containers. The security settings are not here on purpose: the engine applies
/// the same lock-down to every container.
/// </summary>
/// <param name="ImageId">The image id (<c>sha256:...</c>) already checked against the pinned digest.</param>
/// <param name="User"><c>uid:gid</c>, never root.</param>
/// <param name="Volumes">Disk volumes the caller fills before the start (<see cref="IContainerEngine.CopyIntoAsync"/>); removed with the container.</param>
/// <param name="Scratch">The writable places: path to size in bytes. Each is an empty memory file system (tmpfs) of that size, writable by any user; its files count against <paramref name="MemoryBytes"/>.</param>
/// <param name="CpuSet">Cpuset such as <c>0</c>, or null for every CPU.</param>
/// <param name="LogBytes">What the engine may keep of the container's output on its own disk.</param>
/// <param name="Lifetime">How long after its creation the engine kills and removes the container, whatever becomes of the caller.</param>
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
    IReadOnlyDictionary<string, long> Scratch,
    long MemoryBytes,
    long PidsLimit,
    string? CpuSet,
    long LogBytes,
    TimeSpan Lifetime);
