using System.CommandLine;
using BuildTrust.Verifiers.Release;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// Where provenance bundles come from besides the build folder, shared by compare, sign, release and audit: folders of bundles
/// collected from federated builders, and a sigs repository in which each builder commits its own bundle.
/// </summary>
internal sealed class OriginArguments
{
    public Option<string[]> Bundles { get; } = new("--bundles")
    {
        Description = "A folder of provenance bundles collected from federated builders (DIR/*.sigstore.json or DIR/<builder>/provenance.sigstore.json); repeatable. " +
                      "Each is verified against the policy's key for its builder.",
    };

    public Option<string?> Sigs { get; } = new("--sigs")
    {
        Description = "A sigs git repository where each builder commits <commit>/<builder>/provenance.sigstore.json in a commit it signs with its provenance key " +
                      "(SSH signature); a bundle counts only from a commit its builder signed, and is then verified like any other.",
    };

    public Option<string> SigsRef { get; } = new("--sigs-ref") { Description = "The revision of the sigs repository to read (default: HEAD).", DefaultValueFactory = _ => "HEAD" };

    private bool withBundles;

    public void AddTo(Command command, bool bundles = true)
    {
        withBundles = bundles;
        if (bundles) command.Options.Add(Bundles);
        command.Options.Add(Sigs);
        command.Options.Add(SigsRef);
    }

    public ProvenanceOrigins Read(ParseResult parse, string? commitHint = null) =>
        new(withBundles ? parse.GetValue(Bundles) ?? [] : [], parse.GetValue(Sigs), parse.GetValue(SigsRef)!, commitHint);
}
