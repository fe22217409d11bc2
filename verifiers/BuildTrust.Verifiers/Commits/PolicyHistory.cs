using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// The policy in force at every commit from a trust root to the range tip. The policy file in the trust
/// root is trusted as given; every later commit is judged by the policy at its parents that descend from
/// the trust root (all of them, for a merge), never by its own: a commit cannot authorise itself.
/// The policy is its whole directory (the policy file and the key files it names): a change to any file
/// under it is a policy change, and so is a change to <c>.nuke/parameters.json</c>, which can name the trust root that a
/// <c>--trusted-ref</c> reads.
/// </summary>
internal sealed class PolicyHistory
{
    private readonly Dictionary<string, string?> _blobAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _parametersAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _origin = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _inForceParents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ReleasePolicy? Policy, PolicyException? Error)> _policies = new(StringComparer.Ordinal);

    /// <param name="walk">The commits from the trust root (excluded) to the tip, every parent before its children.</param>
    /// <param name="authorityAt">The policy directory's tree id and the parameters file's blob id (each or null) at the trust root and at every commit of the walk.</param>
    public PolicyHistory(GitCommitSource source, string trustRoot, IReadOnlyList<(string Id, IReadOnlyList<string> Parents)> walk,
        IReadOnlyDictionary<string, (string? PolicyTree, string? Parameters)> authorityAt, string policyPath)
    {
        TrustRoot = trustRoot;
        PolicyPath = policyPath;
        PolicyDirectory = DirectoryOf(policyPath);
        var rootBlob = authorityAt[trustRoot].PolicyTree
            ?? throw new PolicyException($"{policyPath}@{trustRoot}", 0, 0, "the trust-root commit has no policy directory at this path");
        _blobAt[trustRoot] = rootBlob;
        _parametersAt[trustRoot] = authorityAt[trustRoot].Parameters;
        _origin[trustRoot] = trustRoot;
        Load(source, rootBlob, trustRoot);
        RootPolicy = _policies[rootBlob].Policy ?? throw _policies[rootBlob].Error!;

        foreach (var (id, parents) in walk)
        {
            var blob = authorityAt[id].PolicyTree;
            _blobAt[id] = blob;
            _parametersAt[id] = authorityAt[id].Parameters;
            if (blob is not null) Load(source, blob, id);
            var inForce = parents.Where(Descends).ToArray();
            _inForceParents[id] = inForce;
            if (inForce.Length == 0) continue;
            var same = inForce.FirstOrDefault(p => _blobAt[p] == blob);
            _origin[id] = same is null ? id : _origin[same];
        }
    }

    public string TrustRoot { get; }

    public string PolicyPath { get; }

    /// <summary>The directory holding the policy file; everything under it is part of the policy.</summary>
    public string PolicyDirectory { get; }

    /// <summary>Throws <see cref="PolicyException"/> for a policy path that is not inside a directory.</summary>
    public static string DirectoryOf(string policyPath)
    {
        var slash = policyPath.LastIndexOf('/');
        if (slash <= 0 || policyPath.StartsWith('/') || policyPath.Split('/').Any(s => s is "" or "." or ".."))
            throw new PolicyException(policyPath, 0, 0, "with a trust root the policy must live in its own directory (for example policies/release.yaml): that directory, with the key files it holds, is the policy");
        return policyPath[..slash];
    }

    public ReleasePolicy RootPolicy { get; }

    /// <summary>The trust root itself, or a commit with a parent that descends from it.</summary>
    public bool Descends(string id) => id == TrustRoot || (_inForceParents.TryGetValue(id, out var parents) && parents.Length > 0);

    /// <summary>Whether the commit's policy directory or parameters file differs from those of every in-force parent.</summary>
    public bool ChangesPolicy(string id) =>
        _inForceParents.TryGetValue(id, out var parents) && parents.Length > 0 &&
        parents.All(p => _blobAt[p] != _blobAt[id] || _parametersAt[p] != _parametersAt[id]);

    /// <summary>The policies in force for a descendant commit: one per distinct policy at its in-force parents.</summary>
    public IReadOnlyList<PolicyInForce> InForce(string id)
    {
        var result = new List<PolicyInForce>(1);
        foreach (var parent in _inForceParents[id].DistinctBy(p => _blobAt[p]))
        {
            result.Add(At(parent));
        }
        return result;
    }

    /// <summary>The policy the commit itself introduces for its children; null (with the error) when deleted or malformed.</summary>
    public PolicyInForce At(string id)
    {
        var blob = _blobAt.GetValueOrDefault(id);
        if (blob is null) return new PolicyInForce(null, new PolicyException($"{PolicyPath}@{id}", 0, 0, "the policy directory is deleted in this commit"), id);
        var (policy, error) = _policies[blob];
        return new PolicyInForce(policy, error, _origin.GetValueOrDefault(id, id));
    }

    private void Load(GitCommitSource source, string blob, string commit)
    {
        if (_policies.ContainsKey(blob)) return;
        var label = $"{PolicyPath}@{commit}";
        try
        {
            var file = source.BlobIdAt(commit, PolicyPath) ?? throw new PolicyException(label, 0, 0, "the policy file is missing from its directory");
            var files = new TreePolicyFiles(source, commit, PolicyDirectory);
            // Hardware evidence is judged at the time of the commit that brought this policy in, so a later audit gives the same answer.
            _policies[blob] = (PolicyLoader.Parse(source.ReadBlob(file, PolicyLoader.MaximumPolicyBytes), label, files, source.Read(commit).CommittedAt), null);
        }
        catch (PolicyException e)
        {
            _policies[blob] = (null, e);
        }
        catch (InvalidDataException e)
        {
            _policies[blob] = (null, new PolicyException(label, 0, 0, e.Message));
        }
    }
}

/// <summary>A policy in force for a commit, or why it cannot be used, and the commit that introduced it.</summary>
internal sealed record PolicyInForce(ReleasePolicy? Policy, PolicyException? Error, string Version);
