using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Trust;

/// <summary>
/// Where a run's policy gets its authority, decided once from the caller's <see cref="TrustOptions"/>: a trust root
/// (command line, then a trusted ref's committed parameters, then the environment), else a policy file the caller names
/// outside the repository, else nothing, which is said loudly and never passes. Nothing that decides trust is read from
/// the data being verified.
/// </summary>
/// <param name="PolicyPath">With a trust root: the policy's path inside the repository's commits. Otherwise: a file on disk.</param>
/// <param name="Origin">Where the authority comes from, in words for reports.</param>
/// <param name="Parameters">The trusted ref's committed parameters (key references, policy path), or none.</param>
public sealed record TrustAnchor(PolicyAuthority Authority, string? TrustRoot, string PolicyPath, string Origin, RepositoryParameters Parameters)
{
    public bool Authenticated => Authority != PolicyAuthority.NotAuthenticated;

    /// <summary>Throws <see cref="TrustAnchorException"/> or <see cref="CommitRangeException"/> when the options cannot be used.</summary>
    public static TrustAnchor Resolve(string repository, TrustOptions options)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        var workTree = WorkTreeOf(repository);
        var parameters = RepositoryParameters.None;
        string? trustedRefCommit = null;
        if (options.TrustedRef is { } trustedRef) (parameters, trustedRefCommit) = RepositoryParameters.ReadAt(repository, trustedRef);

        var (root, origin) = options.TrustRoot is { Length: > 0 } given ? (given, $"--trust-root {given}")
            : options.TrustedRef is { } named ? (parameters.TrustRoot ?? throw new TrustAnchorException(
                    $"{RepositoryParameters.RelativePath} in the trusted ref {named} ({trustedRefCommit![..12]}) names no TrustRoot"),
                $"TrustRoot in {RepositoryParameters.RelativePath} at the trusted ref {named} ({trustedRefCommit![..12]})")
            : options.EnvironmentTrustRoot is { Length: > 0 } environment ? (environment, $"{TrustOptions.EnvironmentVariable}={environment}")
            : ((string?)null, (string?)null);
        if (root is not null)
        {
            if (root.Length != 40 || !root.All(Uri.IsHexDigit))
                throw new TrustAnchorException($"the trust root ({origin}) must be a full commit id of 40 hex digits, not '{root}': a branch or tag name can be moved or created by whoever can push");
            root = root.ToLowerInvariant();
            var inRepository = options.Policy ?? parameters.Policy ?? RepositoryParameters.DefaultPolicy;
            return new TrustAnchor(PolicyAuthority.History, root, inRepository, $"authenticated through history from the trust root ({origin})", parameters);
        }

        if (options.Policy is { } file)
        {
            return Inside(file, workTree)
                ? new TrustAnchor(PolicyAuthority.NotAuthenticated, null, file, $"NOT authenticated: {file} is inside the repository being verified, so whoever can push can change it", parameters)
                : new TrustAnchor(PolicyAuthority.GivenByCaller, null, file, $"{file}, trusted as given by the caller (policy changes in history are not checked)", parameters);
        }
        var fromWorkTree = Path.Combine(workTree ?? repository, RepositoryParameters.DefaultPolicy);
        return new TrustAnchor(PolicyAuthority.NotAuthenticated, null, fromWorkTree,
            $"NOT authenticated: {fromWorkTree} was read from the working tree of the repository being verified", parameters);
    }

    /// <summary>What to do about an unauthenticated policy, in words for reports.</summary>
    public const string Remedy =
        "give --trust-root REV, --trusted-ref REF (whose committed .nuke/parameters.json names the TrustRoot), BUILDTRUST_TRUST_ROOT, or a --policy file outside the repository";

    /// <summary>Throws <see cref="CommitRangeException"/> when <paramref name="repository"/> is not inside a git repository.</summary>
    private static string? WorkTreeOf(string repository)
    {
        using var source = GitCommitSource.Open(repository);
        return source.WorkDirectory;
    }

    private static bool Inside(string file, string? workTree)
    {
        if (workTree is null) return false;
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workTree)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(file).StartsWith(root, StringComparison.Ordinal);
    }
}
