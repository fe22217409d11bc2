namespace BuildTrust.Pipeline.Adoption;

/// <summary>A maintainer key <c>init</c> put in the policy, where it came from, and what hardware evidence it has or lacks.</summary>
/// <param name="Line">The policy entry: an SSH public key line, or the key file's path relative to the policy.</param>
/// <param name="Hardware">Whether signatures by this key carry hardware evidence as the key stands (a FIDO security key).</param>
/// <param name="MissingEvidence">What to add for <c>require: hardware</c> (or attested-hardware), in words with the command.</param>
public sealed record FoundKey(string Maintainer, string Type, string Fingerprint, string Source, string Line, bool Hardware, string MissingEvidence, int Commits);
