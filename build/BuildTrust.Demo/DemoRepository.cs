using BuildTrust.Demo.Keys;
using BuildTrust.Demo.Repositories;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Demo;

/// <summary>
/// Writes the demo's sample repository: a reviewed release history on <c>main</c> whose first commit adopts the policy
/// (the trust root), and one branch per attack the source gate must refuse.
/// </summary>
public static class DemoRepository
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The attack branches, each with what it tries, in the order the demo shows them.</summary>
    public static IReadOnlyList<(string Branch, string Attack)> Attacks { get; } =
    [
        ("attack/unsigned", "an unsigned commit on top of the release"),
        ("attack/no-touch", "malware signs with a plugged-in key without a touch (git verify-commit would say Good)"),
        ("attack/forged", "a signed commit's message changed after signing"),
        ("attack/unreviewed", "a maintainer approves her own commit"),
        ("attack/policy", "one admin removes the review rule, reviewed by a non-admin (policy changes need 2 admins)"),
    ];

    /// <summary>Writes the repository at <paramref name="path"/> and returns the trust root (the commit that adopted the policy).</summary>
    /// <param name="releaseFiles">Extra files of the adoption commit (builder and release public keys).</param>
    /// <param name="releaseSections">The builders, build and release sections appended to the policy.</param>
    public static string Write(string path, DemoMaintainers maintainers, IReadOnlyDictionary<string, string> releaseFiles, string releaseSections)
    {
        var (alice, bob, carol) = (maintainers.Alice, maintainers.Bob, maintainers.Carol);
        var time = Start;
        DateTimeOffset Next() => time = time.AddHours(1);
        static Dictionary<string, string> File(string path, string content) => new() { [path] = content };
        var sample = DemoResources.SampleProject;

        using var writer = SignedHistoryWriter.Create(path);
        var adoption = new Dictionary<string, string>(releaseFiles)
        {
            [RepositoryParameters.DefaultPolicy] = maintainers.Policy(reviews: 1, releaseSections),
            ["README.md"] = sample["README.md"],
        };
        var root = writer.Commit(adoption, "Adopt BuildTrust: release policy (the trust root)", alice, Next());
        var hello = writer.Commit(File("src/hello.c", sample["src/hello.c"]), "Add hello.c", bob, Next());
        writer.Approve(hello, alice, Next());

        writer.StartBranch("feature/makefile", hello);
        var makefile = writer.Commit(File("Makefile", sample["Makefile"]), "Add Makefile", alice, Next());
        writer.StartBranch("main", hello);
        var merge = writer.Commit(File("Makefile", sample["Makefile"]), "Merge feature/makefile (reviewed by demo-bob)", bob, Next(), mergeParents: [makefile]);
        writer.Approve(merge, alice, Next());
        var release = writer.Commit(File("VERSION", "1.0.0\n"), "Release 1.0.0", bob, Next());
        writer.Approve(release, alice, Next());
        writer.CheckOut("main");

        writer.StartBranch("attack/unsigned", release);
        writer.Commit(File("src/hello.c", "/* backdoor */\n"), "Quick fix (unsigned)", null, Next());

        writer.StartBranch("attack/no-touch", release);
        alice.DefaultFlags = 0;
        var untouched = writer.Commit(File("src/hello.c", "/* signed by malware, key never touched */\n"), "Refactor", alice, Next());
        alice.DefaultFlags = SoftwareFidoAuthenticator.UserPresent;
        writer.Approve(untouched, bob, Next());

        writer.StartBranch("attack/forged", release);
        var forged = writer.Commit(File("docs.md", "docs\n"), "Update docs", bob, Next(),
            tamper: raw => System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(raw).Replace("Update docs", "Update DOCS", StringComparison.Ordinal)));
        writer.Approve(forged, alice, Next());

        writer.StartBranch("attack/unreviewed", release);
        var unreviewed = writer.Commit(File("src/hello.c", "/* pushed without review */\n"), "Small change", alice, Next());
        writer.Approve(unreviewed, alice, Next());

        writer.StartBranch("attack/policy", release);
        var weakened = writer.Commit(File(RepositoryParameters.DefaultPolicy, maintainers.Policy(reviews: 0, releaseSections)), "Drop the review rule", alice, Next());
        writer.Approve(weakened, carol, Next());
        return root;
    }
}
