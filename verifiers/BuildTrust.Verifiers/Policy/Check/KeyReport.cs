namespace BuildTrust.Verifiers.Policy.Check;

/// <summary>One key of a maintainer as <c>policy check</c> sees it.</summary>
/// <param name="ValidUntil">The last day it may sign: the earlier of its own and its maintainer's <c>valid-until</c>.</param>
/// <param name="Hardware">What proves the key is hardware, in words.</param>
/// <param name="CanPass">Whether a commit signed with this key can pass the policy's hardware rule as written.</param>
/// <param name="Problem">Why it cannot, when it cannot.</param>
public sealed record KeyReport(string Type, string Fingerprint, int Line, DateOnly? ValidUntil, bool SecurityKey, string Hardware, KeyEvidence? Evidence, bool CanPass, string? Problem);
