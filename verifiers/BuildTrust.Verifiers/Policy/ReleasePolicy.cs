using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Policy;

/// <summary>A validated release policy. Construct through <see cref="PolicyLoader"/>.</summary>
public sealed class ReleasePolicy
{
    // Plain dictionaries of a class: their code is precompiled in the framework, where frozen dictionaries of
    // tuples are compiled at start-up (measurable on every verify-commits run).
    private readonly Dictionary<string, KeyOwner> _keysByBlob;
    private readonly Dictionary<long, KeyOwner> _openPgpKeysById;
    private readonly Dictionary<string, KeyOwner> _keysByFingerprint;

    internal ReleasePolicy(string source, string sha256, int version, IReadOnlyList<Maintainer> maintainers, CommitRules commits)
    {
        Source = source;
        Sha256 = sha256;
        Version = version;
        Maintainers = maintainers;
        Commits = commits;
        _keysByBlob = maintainers
            .SelectMany(m => m.Keys.Where(k => k.Ssh is not null).Select(k => new KeyOwner(Convert.ToBase64String(k.Ssh!.Blob), m, k)))
            .ToDictionary(e => e.Name, StringComparer.Ordinal);
        _openPgpKeysById = maintainers
            .SelectMany(m => m.Keys.Where(k => k.OpenPgp is not null).SelectMany(k => k.OpenPgp!.KeyIds.Select(id => (Id: id, Owner: new KeyOwner("", m, k)))))
            .ToDictionary(e => e.Id, e => e.Owner);
        _keysByFingerprint = maintainers
            .SelectMany(m => m.Keys.Select(k => new KeyOwner(k.Fingerprint, m, k)))
            .ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>Where the policy was read from (a path, or a description such as <c>policy.yaml@commit</c>).</summary>
    public string Source { get; }

    /// <summary>Lowercase hex SHA-256 of the policy file's bytes.</summary>
    public string Sha256 { get; }

    public int Version { get; }

    public IReadOnlyList<Maintainer> Maintainers { get; }

    public CommitRules Commits { get; }

    /// <summary>The independent builders (<c>builders</c>); empty when the policy defines none.</summary>
    public IReadOnlyList<BuilderDefinition> Builders { get; init; } = [];

    /// <summary>The build recipe (<c>build</c>), when the policy defines one.</summary>
    public BuildRecipe? Build { get; init; }

    /// <summary>Quorum and release key (<c>release</c>), when the policy defines them.</summary>
    public ReleaseRules? Release { get; init; }

    /// <summary>The certificates attestation chains must end at (<c>trust.attestation-roots</c>).</summary>
    public IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> AttestationRoots { get; init; } = [];

    /// <summary>Finds the maintainer whose OpenPGP key file holds a key (primary or subkey) with this key id.</summary>
    public bool TryFindOpenPgpKey(long keyId, out Maintainer maintainer, out MaintainerKey key) =>
        TryFind(_openPgpKeysById, keyId, out maintainer, out key);

    /// <summary>Finds the maintainer holding the key with this fingerprint (SSH <c>SHA256:…</c> or OpenPGP primary fingerprint).</summary>
    public bool TryFindKeyByFingerprint(string fingerprint, out Maintainer maintainer, out MaintainerKey key) =>
        TryFind(_keysByFingerprint, fingerprint, out maintainer, out key);

    /// <summary>Finds the maintainer holding exactly this public key blob.</summary>
    public bool TryFindKey(ReadOnlySpan<byte> publicKeyBlob, out Maintainer maintainer, out MaintainerKey key) =>
        TryFind(_keysByBlob, Convert.ToBase64String(publicKeyBlob), out maintainer, out key);

    private static bool TryFind<TKey>(Dictionary<TKey, KeyOwner> keys, TKey id, out Maintainer maintainer, out MaintainerKey key)
        where TKey : notnull
    {
        var found = keys.TryGetValue(id, out var owner);
        (maintainer, key) = found ? (owner!.Maintainer, owner.Key) : (null!, null!);
        return found;
    }

    private sealed record KeyOwner(string Name, Maintainer Maintainer, MaintainerKey Key);
}
