using BuildTrust.Verifiers.Ssh;

namespace BuildTrust.Verifiers.Policy;

/// <summary>One signing key of a maintainer, with the last day (UTC, inclusive) it may sign, if limited.</summary>
public sealed record MaintainerKey(SshPublicKey Ssh, DateOnly? ValidUntil, int Line);
