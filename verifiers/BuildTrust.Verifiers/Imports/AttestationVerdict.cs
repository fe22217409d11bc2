namespace BuildTrust.Verifiers.Imports;

/// <summary>What became of one published attestation (a signer's signature over its digest list, or a rebuilder's signed link).</summary>
public enum AttestationVerdict
{
    /// <summary>The signature verifies with the signer's own key, under BuildTrust's rules: the attestation counts.</summary>
    Good,

    /// <summary>The signature does not verify: the content was changed, or another key made it (another signer's key included).</summary>
    Bad,

    /// <summary>The signature names a key that is not among the keys given for that signer (or for anyone).</summary>
    UnknownKey,

    /// <summary>The key had expired when it signed, or the signature is past its own expiration time.</summary>
    Expired,

    /// <summary>Refused by the rules (weak hash or key, SHA-1 self-signatures, revoked, unbound subkey, critical subpacket, a missing countersignature...).</summary>
    Refused,

    /// <summary>A file that cannot be read as what it should be (no signature beside a list, a list that is not sha256sum's format...).</summary>
    Malformed,
}
