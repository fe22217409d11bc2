namespace BuildTrust.Verifiers.Policy.Check;

/// <summary>A maintainer with roles, validity and every key as <c>policy check</c> sees them.</summary>
public sealed record MaintainerReport(string Id, IReadOnlyList<string> Roles, DateOnly? ValidUntil, IReadOnlyList<KeyReport> Keys)
{
    /// <summary>Whether any of the maintainer's keys can sign a passing commit today.</summary>
    public bool HasUsableKey => Keys.Any(k => k.CanPass);
}
