using System.Security.Cryptography;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Release;

/// <summary>What the audit's checks share: the release's files, read once each, and the policy it is audited against.</summary>
internal sealed class ReleaseUnderAudit
{
    private readonly Dictionary<string, byte[]?> _read = new(StringComparer.Ordinal);
    private readonly Lazy<(SortedDictionary<string, string>? Sums, string? Problem)> _sums;
    private readonly Lazy<ProvenanceSetResult> _provenance;

    public ReleaseUnderAudit(string root, LoadedPolicy policy, ReleaseInventory inventory)
    {
        Root = root;
        Policy = policy;
        Inventory = inventory;
        ReleaseKey = policy.Policy.Release!.PublicKeyDer;
        PolicyDigest = Convert.ToHexStringLower(SHA256.HashData(policy.Bytes));
        _sums = new(() => (ReleaseAuditor.ParseSums(Read(ReleaseLayout.Sums), out var problem), problem));
        var prefix = ReleaseLayout.ProvenanceFolder + "/";
        Bundles = [.. inventory.Files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Select(f => (f, Read(f)!))];
        _provenance = new(() => ProvenanceSet.Verify(policy.Policy, Bundles));
    }

    public string Root { get; }

    public LoadedPolicy Policy { get; }

    public ReleaseInventory Inventory { get; }

    public byte[] ReleaseKey { get; }

    public string PolicyDigest { get; }

    public IReadOnlyList<(string Path, byte[] Bytes)> Bundles { get; }

    public SortedDictionary<string, string>? Sums => _sums.Value.Sums;

    public string? SumsProblem => _sums.Value.Problem;

    public ProvenanceSetResult Provenance => _provenance.Value;

    /// <summary>A release file's bytes, or null when the inventory holds no regular file of that name; read with a cap.</summary>
    public byte[]? Read(string relative)
    {
        if (_read.TryGetValue(relative, out var cached)) return cached;
        var bytes = Inventory.Files.Contains(relative) ? UntrustedFile.ReadAll(Path.Combine(Root, relative), ReleaseAuditor.MaximumFileBytes) : null;
        _read[relative] = bytes;
        return bytes;
    }
}
