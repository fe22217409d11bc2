using BuildTrust.Verifiers.Quorum;

namespace BuildTrust.Verifiers.Policy.Check;

/// <summary>
/// Reads a loaded policy the way a maintainer needs before committing it: for each key, whether its hardware evidence (as
/// verified when the policy was loaded) lets it pass <c>commits.require</c> as written, and when it stops being valid; then
/// the rules that can never be met with the maintainers, keys and builders listed (no usable author, too few reviewers or
/// policy-admins, a quorum the builders cannot reach independently) and what needs attention (expiry within
/// <see cref="ExpiryWarningDays"/> days, a single policy-admin). Nothing here changes how a commit is judged.
/// </summary>
public static class PolicyCheck
{
    public const int ExpiryWarningDays = 30;

    public static PolicyCheckReport Run(ReleasePolicy policy, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var rules = policy.Commits;
        var findings = new List<PolicyFinding>();
        var maintainers = policy.Maintainers.Select(m => Maintainer(rules, m, today, findings)).ToList();

        var authors = maintainers.Where(m => Has(policy, m, MaintainerRole.Author)).ToList();
        if (!authors.Any(a => a.HasUsableKey))
            findings.Add(new(FindingSeverity.NeverMet, "commits", authors.Count == 0
                ? "no maintainer holds the role 'author': no commit can ever pass"
                : "no author has a key that can pass the policy's hardware rule today: no commit can ever pass"));
        if (rules.Reviews > 0)
        {
            foreach (var author in authors.Where(a => a.HasUsableKey))
            {
                var reviewers = maintainers.Count(m => m.Id != author.Id && Has(policy, m, MaintainerRole.Reviewer) && m.HasUsableKey);
                if (reviewers < rules.Reviews)
                    findings.Add(new(FindingSeverity.NeverMet, author.Id,
                        $"commits by '{author.Id}' need {rules.Reviews} review(s) by other maintainers with role 'reviewer' and a usable key, and there are {reviewers}: they can never pass"));
            }
        }
        var admins = maintainers.Where(m => Has(policy, m, MaintainerRole.PolicyAdmin)).ToList();
        var usableAdmins = admins.Count(a => a.HasUsableKey);
        if (usableAdmins < rules.PolicyChanges)
            findings.Add(new(FindingSeverity.NeverMet, "commits.policy-changes",
                $"a policy change needs {rules.PolicyChanges} policy-admin(s) with a usable key, and there are {usableAdmins}: the policy could never be changed again"));
        else if (admins.Count == 1)
            findings.Add(new(FindingSeverity.Warning, admins[0].Id,
                $"'{admins[0].Id}' is the only policy-admin: if their keys are lost, the policy can never change again; add a second policy-admin"));

        int? quorum = policy.Release?.Quorum;
        if (policy.Release is { } release)
        {
            var independent = IndependentBuilders(policy.Builders, release.Independence, out var why);
            if (independent < release.Quorum)
                findings.Add(new(FindingSeverity.NeverMet, "release.quorum",
                    $"quorum {release.Quorum} needs that many independent builders and the listed ones give at most {independent}{why}: no release could ever pass"));
        }
        return new PolicyCheckReport(policy.Source, policy.Sha256, today, Name(rules.Require), rules.UserVerification, rules.RequireTouch, rules.Reviews,
            rules.PolicyChanges, policy.Builders.Count, quorum, maintainers, findings);
    }

    private static bool Has(ReleasePolicy policy, MaintainerReport report, MaintainerRole role) =>
        policy.Maintainers.Single(m => m.Id == report.Id).Has(role);

    private static MaintainerReport Maintainer(CommitRules rules, Maintainer maintainer, DateOnly today, List<PolicyFinding> findings)
    {
        var keys = new List<KeyReport>();
        foreach (var key in maintainer.Keys)
        {
            var until = KeyValidity.Until(maintainer, key);
            var (hardware, problem) = Hardware(rules, key);
            if (problem is null && until is { } last && last < today) problem = $"expired on {last:yyyy-MM-dd}: it can no longer sign a commit dated after that";
            var report = new KeyReport(key.KeyType, key.Fingerprint, key.Line, until, key.Ssh?.IsSecurityKey == true, hardware,
                key.Attestation is null ? null : KeyEvidence.Of(key), problem is null, problem);
            keys.Add(report);
            if (problem is not null) findings.Add(new(FindingSeverity.Warning, $"{maintainer.Id} {key.Fingerprint}", $"this key can never sign a passing commit: {problem}"));
            else if (until is { } end && end.DayNumber - today.DayNumber <= ExpiryWarningDays)
                findings.Add(new(FindingSeverity.Warning, $"{maintainer.Id} {key.Fingerprint}", $"expires on {end:yyyy-MM-dd}, in {end.DayNumber - today.DayNumber} day(s)"));
        }
        var roles = maintainer.Roles.Order().Select(r => r switch { MaintainerRole.PolicyAdmin => "policy-admin", _ => r.ToString().ToLowerInvariant() }).ToList();
        return new MaintainerReport(maintainer.Id, roles, maintainer.ValidUntil, keys);
    }

    /// <summary>The hardware evidence in words, and why no signature by this key can pass the rule as written (null when one can).</summary>
    private static (string Hardware, string? Problem) Hardware(CommitRules rules, MaintainerKey key)
    {
        var hardwareRequired = rules.Require is SignatureRequirement.Hardware or SignatureRequirement.AttestedHardware;
        if (key.Ssh is { IsSecurityKey: true })
        {
            var words = "FIDO security key: every signature carries its touch" + (rules.UserVerification ? " and must carry user verification (PIN)" : "");
            if (key.Attestation is { } enrollment)
            {
                words += $"; {enrollment.Describe()}";
                if (!enrollment.Valid && rules.Require == SignatureRequirement.AttestedHardware) return (words, $"its enrollment attestation is refused: {enrollment.Failure}");
            }
            else if (rules.Require == SignatureRequirement.AttestedHardware)
            {
                return (words, "require: attested-hardware needs the key's enrollment attestation ('attestation' and 'attestation-challenge', from ssh-keygen -O write-attestation=FILE -O challenge=FILE at enrollment), and none is given");
            }
            return (words, null);
        }
        if (key.Attestation is { } attestation)
        {
            var words = attestation.Describe();
            if (!attestation.Valid) return (words, hardwareRequired ? $"its attestation is refused: {attestation.Failure}" : rules.UserVerification ? "no valid evidence of user verification" : null);
            if (hardwareRequired && rules.RequireTouch && attestation.Properties?.Touch is not ("always" or "cached"))
                return (words, $"commits.require-touch is set and the attested touch policy is '{attestation.Properties?.Touch ?? "not stated"}'; a key generated with touch policy 'always' or 'cached' is needed");
            if (rules.UserVerification && attestation.Properties?.Pin is not ("always" or "once"))
                return (words, $"commits.user-verification is set and the attested PIN policy is '{attestation.Properties?.Pin ?? "not stated"}'; a key generated with PIN policy 'once' or 'always' is needed");
            return (words, null);
        }
        var none = $"none: a {key.KeyType} key can be held in software";
        if (hardwareRequired)
            return (none, $"require: {Name(rules.Require)} and there is no hardware evidence: give the key's vendor attestation ('attestation:', for a YubiKey: yubico-piv-tool -a attest -s SLOT, then the f9 certificate; for OpenPGP: ykman openpgp keys attest sig), or use a FIDO security key (sk-*)");
        if (rules.UserVerification) return (none, $"commits.user-verification is set and a {key.KeyType} signature cannot show user verification");
        return (none, null);
    }

    /// <summary>How many builders can count towards the quorum together, in id order as the quorum counts them: distinct endpoints (an engine serves one endpoint), and distinct hosts and operators when asked.</summary>
    private static int IndependentBuilders(IReadOnlyList<BuilderDefinition> builders, IReadOnlySet<string> independence, out string why)
    {
        var counted = new List<BuilderDefinition>();
        var reasons = new List<string>();
        foreach (var builder in builders.OrderBy(b => b.Id, StringComparer.Ordinal))
        {
            if (independence.Contains(IndependenceAspect.Operator) && builder.Operator is null)
            {
                reasons.Add($"{builder.Id} names no operator");
                continue;
            }
            // A federated builder (no endpoint) runs on its operator's own engine and host, which only its provenance names.
            var twin = counted.FirstOrDefault(c => (c.Endpoint is not null && c.Endpoint == builder.Endpoint)
                || (independence.Contains(IndependenceAspect.Host) && Host(c) is { } host && host == Host(builder))
                || (independence.Contains(IndependenceAspect.Operator) && c.Operator == builder.Operator));
            if (twin is not null)
            {
                reasons.Add($"{builder.Id} is not independent of {twin.Id}");
                continue;
            }
            counted.Add(builder);
        }
        why = reasons.Count == 0 ? "" : $" ({string.Join("; ", reasons)})";
        return counted.Count;
    }

    private static string? Host(BuilderDefinition builder) => builder.Endpoint is null ? null : builder.Endpoint.Scheme == "unix" ? "this host" : builder.Endpoint.Host;

    private static string Name(SignatureRequirement requirement) => requirement switch
    {
        SignatureRequirement.Signed => "signed",
        SignatureRequirement.Hardware => "hardware",
        _ => "attested-hardware",
    };
}
