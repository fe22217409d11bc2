namespace BuildTrust.Verifiers.Policy;

/// <summary>A person allowed to act on the repository, identified by their keys.</summary>
public sealed record Maintainer(string Id, IReadOnlySet<MaintainerRole> Roles, IReadOnlyList<MaintainerKey> Keys, DateOnly? ValidUntil)
{
    public bool Has(MaintainerRole role) => Roles.Contains(role);
}
