namespace BuildTrust.Testing.Attestation;

/// <summary>How a test attestation chain is made, including the ways a real one can be wrong.</summary>
/// <param name="Applet">PIV or OpenPGP: which Yubico extensions the attested-key certificate carries.</param>
/// <param name="Touch">PIV touch policy byte (1 never, 2 always, 3 cached); for OpenPGP the user-interaction flag (0 off, 1 on).</param>
/// <param name="Pin">PIV PIN policy byte (1 never, 2 once, 3 always).</param>
public sealed record AttestationOptions(
    string Applet = "PIV",
    byte Touch = 2,
    byte Pin = 2,
    bool ExpiredLeaf = false,
    bool ExpiredDevice = false,
    bool BrokenSignature = false,
    bool ImportedKey = false);
