using System.CommandLine;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// The options that name what the caller already trusts, shared by every command that judges a repository:
/// <c>--trust-root</c>, <c>--trusted-ref</c>, and <c>BUILDTRUST_TRUST_ROOT</c> from the environment. Nothing here is
/// read from the repository's working tree.
/// </summary>
internal sealed class TrustArguments
{
    public Option<string?> TrustRoot { get; } = new("--trust-root")
    {
        Description = "The trust root: a commit whose policy is trusted as given; every later commit is judged by the policy in force at its parents, " +
                      $"so policy changes need policy-admin approval (default: ${TrustOptions.EnvironmentVariable}, or the TrustRoot of --trusted-ref).",
    };

    public Option<string?> TrustedRef { get; } = new("--trusted-ref")
    {
        Description = $"A revision you already trust, such as origin/main: the TrustRoot, Policy, BuilderKeys and ReleaseKey defaults are read from the " +
                      $"{RepositoryParameters.RelativePath} committed there, never from the working tree.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(TrustRoot);
        command.Options.Add(TrustedRef);
    }

    public TrustOptions Read(ParseResult parse, string? policy) =>
        new(parse.GetValue(TrustRoot), parse.GetValue(TrustedRef), policy, Environment.GetEnvironmentVariable(TrustOptions.EnvironmentVariable));
}
