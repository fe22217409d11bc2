using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Commits.Reviews;

namespace BuildTrust.Cli.Rendering.Ci;

/// <summary>The exact commands that turn a commit pending review into a passing one, for every rendering that shows it.</summary>
internal static class PendingReviewFix
{
    public static string Approve(CommitVerdict verdict) => $"buildtrust review approve {verdict.CommitId}";

    public const string Push = $"git push origin {ReviewApproval.NotesReference}";

    /// <summary>Who may approve, in words: a reviewer of the policy other than the author.</summary>
    public static string Who(CommitVerdict verdict) =>
        verdict.Signer is { } author ? $"a maintainer with role 'reviewer' other than '{author}'" : "a maintainer with role 'reviewer'";

    public static string Sentence(CommitVerdict verdict) =>
        $"pending review: {verdict.FirstFailure!.Actual}. {Who(verdict)} approves it with: {Approve(verdict)} && {Push}";
}
