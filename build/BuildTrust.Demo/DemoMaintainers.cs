using BuildTrust.Demo.Keys;
using BuildTrust.Demo.Policies;

namespace BuildTrust.Demo;

/// <summary>
/// The demo's three maintainers, each signing with a DEMO software authenticator (a stand-in for a FIDO security key;
/// every key comment says DEMO-KEY), and the policy that names them.
/// </summary>
public sealed class DemoMaintainers : IDisposable
{
    public SoftwareFidoAuthenticator Alice { get; } = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "demo-alice@DEMO-KEY-software-authenticator");

    public SoftwareFidoAuthenticator Bob { get; } = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "demo-bob@DEMO-KEY-software-authenticator");

    public SoftwareFidoAuthenticator Carol { get; } = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "demo-carol@DEMO-KEY-software-authenticator");

    /// <summary>The demo policy: alice and bob authors, reviewers and admins; carol author and reviewer; hardware; two admins per policy change.</summary>
    public string Policy(int reviews, string extraSections = "") =>
        "# DEMO policy: the keys below are software authenticators made by 'buildtrust demo', not hardware.\n" +
        new PolicyBuilder()
            .Maintainer("demo-alice", ["author", "reviewer", "policy-admin"], Alice.PublicKeyLine)
            .Maintainer("demo-bob", ["author", "reviewer", "policy-admin"], Bob.PublicKeyLine)
            .Maintainer("demo-carol", ["author", "reviewer"], Carol.PublicKeyLine)
            .Require("hardware")
            .Reviews(reviews, policyChanges: 2)
            .ToYaml() + extraSections;

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
    }
}
