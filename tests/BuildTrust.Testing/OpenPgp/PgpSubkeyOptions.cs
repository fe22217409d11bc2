namespace BuildTrust.Testing.OpenPgp;

/// <summary>One subkey of a key written by <see cref="PgpKeyForge"/>: its binding (none when null), the back-signature embedded in it, a revocation.</summary>
public sealed record PgpSubkeyOptions(string Fingerprint, PgpSignatureOptions? Binding, PgpSignatureOptions? BackSignature, PgpSignatureOptions? Revocation = null);
