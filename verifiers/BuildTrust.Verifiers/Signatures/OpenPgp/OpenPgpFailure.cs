namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>Why an OpenPGP signature does not count, as a kind a report can group by (the failure text says the details).</summary>
public enum OpenPgpFailure
{
    /// <summary>The signature verifies.</summary>
    None,

    /// <summary>It does not verify: the content was changed, or another key made it.</summary>
    Bad,

    /// <summary>Its key id is not in the key file.</summary>
    UnknownKey,

    /// <summary>The key or subkey had expired when it signed, or the signature is past its own expiration time.</summary>
    Expired,

    /// <summary>Refused by the rules: a weak hash or key, an unbound subkey, a revocation, a critical subpacket, a v3 or text signature.</summary>
    Refused,
}
