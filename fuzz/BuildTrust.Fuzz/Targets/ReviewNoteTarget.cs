using BuildTrust.Verifiers.Commits.Reviews;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// review-note: a git note under refs/notes/buildtrust-reviews through <see cref="ApprovalNote.Parse"/>, then
/// each approval judged as the source gate does (<see cref="ReviewCollector.FromApproval"/>: key lookup,
/// signature over the review record, validity, hardware rule). Expected: <see cref="ReviewNoteFormatException"/>.
/// </summary>
internal sealed class ReviewNoteTarget(FuzzContext context) : IFuzzTarget
{
    private static readonly DateTimeOffset CommittedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Verifiers.Policy.ReleasePolicy _policy = context.Policy;

    public string Name => "review-note";

    public string Description => "approval note: split into armored approvals, each verified against the seed policy";

    public string Run(byte[] input)
    {
        IReadOnlyList<string> approvals;
        try
        {
            approvals = ApprovalNote.Parse(input);
        }
        catch (ReviewNoteFormatException e)
        {
            return $"refused: {e.Message}";
        }
        var evidence = approvals.Select(a => ReviewCollector.FromApproval(_policy, FuzzContext.ReviewedCommit, CommittedAt, a)).ToList();
        return $"{evidence.Count(e => e.Counted)} of {evidence.Count} approvals count: {string.Join("; ", evidence.Select(e => e.Detail))}";
    }
}
