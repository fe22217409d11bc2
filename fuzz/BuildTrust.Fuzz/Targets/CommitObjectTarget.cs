using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// commit: a raw commit object as libgit2 hands it over, through <see cref="GitCommitObject.Parse"/> and the
/// <see cref="CommitSignatureGate"/> of a policy holding every seed signer (SSH of each type, security key,
/// OpenPGP). Nothing is expected to throw: a malformed object is a refusal inside the verdict.
/// </summary>
internal sealed class CommitObjectTarget(FuzzContext context) : IFuzzTarget
{
    private readonly CommitSignatureGate _gate = new(context.Policy);

    public string Name => "commit";

    public string Description => "raw commit object: GitCommitObject.Parse, then the commit signature gate";

    public string Run(byte[] input)
    {
        var record = GitCommitObject.Parse(new string('a', 40), input);
        var verdict = _gate.Verify(record);
        var last = verdict.Checks.Count == 0 ? "no check" : $"{verdict.Checks[^1].Id} {verdict.Checks[^1].Status}: {verdict.Checks[^1].Actual}";
        return $"{verdict.Status} ({record.Parents.Count} parents): {last}";
    }
}
