using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Policy;

/// <summary>One signing key of a maintainer (exactly one of <see cref="Ssh"/> or <see cref="OpenPgp"/>), with the last day (UTC, inclusive) it may sign, if limited.</summary>
public sealed record MaintainerKey(SshPublicKey? Ssh, OpenPgpKey? OpenPgp, DateOnly? ValidUntil, int Line)
{
    /// <summary>The key type, for example <c>sk-ssh-ed25519@openssh.com</c> or <c>openpgp-ed25519</c>.</summary>
    public string KeyType => Ssh?.Algorithm ?? OpenPgp!.KeyType;

    /// <summary>SSH: <c>SHA256:…</c>; OpenPGP: the primary key's fingerprint.</summary>
    public string Fingerprint => Ssh?.Fingerprint ?? OpenPgp!.Fingerprint;

    /// <summary>The verified vendor attestation named by <c>attestation:</c>, when the policy gives one.</summary>
    public KeyAttestation? Attestation { get; init; }

    /// <summary>Which key the attestation covers: the SSH key's fingerprint, or the OpenPGP primary key's or subkey's.</summary>
    public string? AttestedKeyFingerprint { get; init; }
}
