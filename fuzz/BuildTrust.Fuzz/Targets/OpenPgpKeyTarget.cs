using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.OpenPgp;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// openpgp-key: a key file (armored or binary, as a policy's <c>openpgp:</c> entry names it) through
/// <see cref="OpenPgpKey.Parse"/>, the key material attestation compares, and verification of the seed
/// signatures with it (signing-key state, bindings, back-signatures). Expected: <see cref="OpenPgpFormatException"/>.
/// </summary>
internal sealed class OpenPgpKeyTarget(FuzzContext context) : IFuzzTarget
{
    private readonly IReadOnlyList<OpenPgpSignature> _signatures =
        [.. context.OpenPgpSignatures.Select(s => OpenPgpSignature.Parse(Armor.Wrap(s, OpenPgpSignature.ArmorBegin, OpenPgpSignature.ArmorEnd, "\n")))];

    private readonly byte[] _message = context.Message;

    public string Name => "openpgp-key";

    public string Description => "OpenPGP key file (armored or binary): parse, key material, verify the seed signatures";

    public string Run(byte[] input)
    {
        OpenPgpKey key;
        try
        {
            key = OpenPgpKey.Parse(input);
        }
        catch (OpenPgpFormatException e)
        {
            return $"refused: {e.Message}";
        }
        var materials = key.Ring.GetPublicKeys().Select(PublicKeyMaterial.FromOpenPgp).ToList();
        var valid = _signatures.Count(s => OpenPgpSignatureVerifier.Verify(key, s, _message).IsValid);
        return $"accepted: {key} with {key.KeyIds.Count} keys ({string.Join(", ", materials.Select(m => m.Kind))}); {valid} seed signatures verify";
    }
}
