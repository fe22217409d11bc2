using BuildTrust.Verifiers.Checks;

namespace BuildTrust.Verifiers.Release;

/// <summary>One line of an audit: what was checked, the outcome, and the detail (what was found).</summary>
public sealed record AuditCheck(string Name, CheckStatus Status, string Detail);
