namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>Malformed OpenPGP data: a key file or an armored signature whose packets do not parse.</summary>
public sealed class OpenPgpFormatException(string message) : BuildTrustException(FaultKind.BadInput, message);
