namespace BuildTrust.Verifiers.Policy;

/// <summary>
/// The files a policy refers to (OpenPGP key files, later attestation chains and trust roots), by path
/// relative to the policy's directory: from disk for a policy file, from the same commit's tree for a
/// policy read from history.
/// </summary>
public interface IPolicyFiles
{
    /// <summary>The file's bytes; throws <see cref="PolicyFileException"/> when it is missing, too large or outside the policy directory.</summary>
    byte[] Read(string relativePath);

    /// <summary>How to name the file in messages, for example <c>policies/keys/alice.asc@&lt;commit&gt;</c>.</summary>
    string Describe(string relativePath);
}
