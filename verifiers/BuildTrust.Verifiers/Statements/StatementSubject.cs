namespace BuildTrust.Verifiers.Statements;

/// <summary>An in-toto subject: an artifact's relative path ('/' separators) and SHA-256 (lowercase hex).</summary>
public sealed record StatementSubject(string Name, string Sha256);
