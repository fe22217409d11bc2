using System.Text;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// openpgp-armor: the text of an armored signature (a commit's gpgsig header, an approval note's block)
/// through <see cref="Verifiers.Signatures.OpenPgp.OpenPgpSignature.Parse"/> and verification against the seed keys.
/// Expected: <see cref="Verifiers.Signatures.OpenPgp.OpenPgpFormatException"/>.
/// </summary>
internal sealed class OpenPgpArmorTarget(FuzzContext context) : IFuzzTarget
{
    private readonly OpenPgpSignatureTarget _signatures = new(context);

    public string Name => "openpgp-armor";

    public string Description => "armored OpenPGP signature text: armor, packets, verify with the seed keys";

    public string Run(byte[] input) => _signatures.ParseAndVerify(Encoding.Latin1.GetString(input));
}
