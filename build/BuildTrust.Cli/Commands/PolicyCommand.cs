using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Cli.Rendering;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Policy.Check;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust policy check</c>: a policy read strictly, each key's evidence as verified now, and the rules that can never be met.</summary>
public static class PolicyCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string?>("--repo") { Description = "Read the policy from this repository's commits, as authenticated from a trust root (with --trust-root, --trusted-ref or $BUILDTRUST_TRUST_ROOT)." };
        var policy = new Option<string?>("--policy")
        {
            Description = $"Without a trust root: the policy file on disk (default {RepositoryParameters.DefaultPolicy}). With one: its path inside the repository's commits.",
        };
        var trust = new TrustArguments();
        var json = new Option<bool>("--json") { Description = "Write a machine-readable report to stdout." };
        var check = new Command("check",
            "Load a policy strictly and report, per maintainer and key: type, fingerprint, roles, validity, and the hardware evidence as verified now " +
            "(attestation chain and root, serial, firmware, PIN and touch policy, form factor, FIDO AAGUID and model, enrollment flags). " +
            "Warns about keys that cannot pass the policy's hardware rule as written, keys expiring within 30 days and a single policy-admin; " +
            "finds rules that can never be met (no usable author, too few reviewers or policy-admins, a quorum the builders cannot reach). " +
            "With --trusted-ref the policy committed there is checked as authenticated through history from its trust root. " +
            "Exit 0 when every rule can be met, 1 when one never can (or the policy at the revision is not authenticated), 2 for a malformed policy.")
        {
            repo, policy, json,
        };
        trust.AddTo(check);
        check.SetAction((parse, _) =>
        {
            var options = trust.Read(parse, parse.GetValue(policy));
            var fromRepository = parse.GetValue(trust.TrustRoot) is not null || parse.GetValue(trust.TrustedRef) is not null || parse.GetValue(repo) is not null;
            return CheckAsync(terminal, new PolicyCheckOptions(fromRepository ? parse.GetValue(repo) ?? "." : null, options, parse.GetValue(json), DateOnly.FromDateTime(DateTime.UtcNow)));
        });
        return new Command("policy", "Inspect a policy before committing it, or as the gate would use it.") { check };
    }

    public static async Task<int> CheckAsync(CliTerminal terminal, PolicyCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = new DateTimeOffset(options.Today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        ReleasePolicy loaded;
        string authority;
        IReadOnlyList<CommitVerdict> refused = [];
        if (options.Repository is { } repository)
        {
            var anchor = TrustAnchor.Resolve(repository, options.Trust);
            if (anchor.Authority != PolicyAuthority.History) throw new TrustAnchorException($"policy check --repo needs a trust root: {TrustAnchor.Remedy}");
            var revision = options.Trust.TrustedRef ?? anchor.TrustRoot!;
            (var policy, refused) = AuthenticatedPolicy.At(repository, anchor.TrustRoot!, anchor.PolicyPath, revision, now);
            loaded = policy.Policy;
            authority = refused.Count == 0
                ? $"the policy at {revision}, {anchor.Origin}"
                : $"the policy at {revision} is NOT authenticated: {refused.Count} change(s) since the trust root {anchor.TrustRoot} do not pass";
        }
        else
        {
            loaded = PolicyLoader.Load(options.Trust.Policy ?? RepositoryParameters.DefaultPolicy);
            authority = "a file on disk, checked as given (commit it and give its commit as the trust root to authenticate it)";
        }
        var report = PolicyCheck.Run(loaded, options.Today);
        var exitCode = report.NeverMet || refused.Count > 0 ? ExitCodes.VerificationFailed : ExitCodes.Passed;
        await PolicyCheckWriter.WriteTextAsync(terminal.Error, report, authority, refused);
        if (options.Json) await PolicyCheckWriter.WriteJsonAsync(terminal.Out, report, authority, refused, exitCode);
        return exitCode;
    }
}
