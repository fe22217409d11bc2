namespace BuildTrust.Verifiers.Policy.Check;

/// <summary>One thing <c>policy check</c> found, about <paramref name="Subject"/> (a maintainer, a key fingerprint, a section).</summary>
public sealed record PolicyFinding(FindingSeverity Severity, string Subject, string Message);
