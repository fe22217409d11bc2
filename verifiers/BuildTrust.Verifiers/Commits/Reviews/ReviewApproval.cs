using System.Text;

namespace BuildTrust.Verifiers.Commits.Reviews;

/// <summary>
/// The review approval format: an SSH signature in namespace <c>buildtrust-review</c> over the exact bytes
/// <c>buildtrust-review v1 approve &lt;full commit id&gt;\n</c>, stored in git notes under
/// <c>refs/notes/buildtrust-reviews</c> on the approved commit (several approvals concatenated).
/// A reviewer can make one with <c>ssh-keygen -Y sign -n buildtrust-review</c>.
/// </summary>
public static class ReviewApproval
{
    public const string Namespace = "buildtrust-review";
    public const string NotesReference = "refs/notes/buildtrust-reviews";
    public const int MaximumNoteBytes = 256 * 1024;
    public const int MaximumApprovalsPerNote = 64;

    /// <summary>The bytes an approval of <paramref name="commitId"/> signs.</summary>
    public static byte[] Record(string commitId) => Encoding.ASCII.GetBytes($"buildtrust-review v1 approve {commitId}\n");
}
