namespace BuildTrust.Cli.Options;

/// <summary>What <c>import</c> was asked: the format, the folder of published attestations, the keys the caller trusts, and the quorum.</summary>
/// <param name="Format"><c>guix-sigs</c>, <c>tor</c> or <c>rebuilderd</c>.</param>
/// <param name="Version">guix-sigs: one version only; null for the whole repository.</param>
/// <param name="DaemonKey">rebuilderd: the daemon's public key (PEM), whose countersignatures are reported (and required with <paramref name="RequireCountersignature"/>).</param>
/// <param name="Vsa">Where to write the verdict as an in-toto VSA, signed with <paramref name="VsaKey"/>.</param>
public sealed record ImportOptions(string Format, string Directory, string Keys, int Quorum, string? Version, string? DaemonKey, bool RequireCountersignature,
    bool Json, string? Vsa, string? VsaKey);
