using BuildTrust.Fuzz.Targets;

namespace BuildTrust.Fuzz;

/// <summary>Every fuzz target by name; a target's context is loaded only when it is chosen.</summary>
internal static class TargetCatalog
{
    private static readonly (string Name, Func<FuzzContext, IFuzzTarget> Create)[] Targets =
    [
        ("sshsig", c => new SshSignatureTarget(c)),
        ("ssh-key", _ => new SshPublicKeyTarget()),
        ("commit", c => new CommitObjectTarget(c)),
        ("openpgp-armor", c => new OpenPgpArmorTarget(c)),
        ("openpgp-signature", c => new OpenPgpSignatureTarget(c)),
        ("openpgp-key", c => new OpenPgpKeyTarget(c)),
        ("review-note", c => new ReviewNoteTarget(c)),
        ("policy", c => new PolicyTarget(c)),
        ("x509-attestation", c => new X509AttestationTarget(c)),
        ("fido-attestation", c => new FidoAttestationTarget(c)),
        ("sigstore-bundle", c => new SigstoreBundleTarget(c)),
        ("in-toto", _ => new InTotoStatementTarget()),
        ("tar", _ => new TarCollectionTarget()),
    ];

    public static IEnumerable<string> Names => Targets.Select(t => t.Name);

    public static IFuzzTarget? Find(string name, FuzzContext context) =>
        Targets.FirstOrDefault(t => t.Name == name) is { Create: not null } found ? found.Create(context) : null;
}
