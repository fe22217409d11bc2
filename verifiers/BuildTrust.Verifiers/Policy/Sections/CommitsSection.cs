using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary><c>commits</c>: what a commit's signature must prove, how many reviews and policy-admin approvals, and exemptions.</summary>
internal static partial class CommitsSection
{
    private const int MaximumApprovals = 100;

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullCommitIdPattern();

    public static CommitRules Read(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        var rules = CommitRules.Default;
        foreach (var (keyNode, value) in f.Mapping(node, "commits").Children)
        {
            var key = f.Key(keyNode);
            switch (key)
            {
                case "require":
                    rules = rules with
                    {
                        Require = f.String(value, key) switch
                        {
                            "hardware" => SignatureRequirement.Hardware,
                            "attested-hardware" => SignatureRequirement.AttestedHardware,
                            "signed" => SignatureRequirement.Signed,
                            var other => throw f.Error(value, $"'require' is 'hardware', 'attested-hardware' or 'signed', not '{other}'"),
                        },
                    };
                    break;
                case "user-verification":
                    rules = rules with { UserVerification = f.Boolean(value, key) };
                    break;
                case "require-touch":
                    rules = rules with { RequireTouch = f.Boolean(value, key) };
                    break;
                case "reviews":
                    var reviews = f.Integer(value, key);
                    if (reviews is < 0 or > MaximumApprovals) throw f.Error(value, $"'reviews' must be between 0 and {MaximumApprovals}");
                    rules = rules with { Reviews = reviews };
                    break;
                case "policy-changes":
                    var policyChanges = f.Integer(value, key);
                    if (policyChanges is < 1 or > MaximumApprovals) throw f.Error(value, $"'policy-changes' must be between 1 and {MaximumApprovals}; a policy change always needs an admin");
                    rules = rules with { PolicyChanges = policyChanges };
                    break;
                case "exempt":
                    rules = rules with { Exemptions = ReadExemptions(reading, value) };
                    break;
                default:
                    throw f.Unknown(keyNode, key, "require, user-verification, require-touch, reviews, policy-changes, exempt");
            }
        }
        return rules;
    }

    private static Dictionary<string, string> ReadExemptions(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        var exemptions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in f.Sequence(node, "exempt").Children)
        {
            string? commit = null, reason = null;
            foreach (var (keyNode, value) in f.Mapping(item, "an exemption").Children)
            {
                switch (f.Key(keyNode))
                {
                    case "commit":
                        commit = f.String(value, "commit");
                        if (!FullCommitIdPattern().IsMatch(commit)) throw f.Error(value, "'commit' must be a full 40-character lowercase commit id");
                        break;
                    case "reason":
                        reason = f.String(value, "reason");
                        break;
                    default:
                        throw f.Unknown(keyNode, f.Key(keyNode), "commit, reason");
                }
            }
            if (commit is null || reason is null) throw f.Error(item, "an exemption needs 'commit' and 'reason'");
            if (!exemptions.TryAdd(commit, reason)) throw f.Error(item, $"commit {commit} is exempted twice");
        }
        return exemptions;
    }
}
