using BuildTrust.Verifiers.Signatures.OpenPgp;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// openpgp-signature: binary signature packets, armored here, through <see cref="OpenPgpSignature.Parse"/> and
/// <see cref="OpenPgpSignatureVerifier.Verify"/> with the seed key that holds the signature's key id (else the
/// first). Expected: <see cref="OpenPgpFormatException"/> from parsing; verification returns a value.
/// </summary>
internal sealed class OpenPgpSignatureTarget(FuzzContext context) : IFuzzTarget
{
    private readonly IReadOnlyList<OpenPgpKey> _keys = context.OpenPgpKeys;
    private readonly byte[] _message = context.Message;

    public string Name => "openpgp-signature";

    public string Description => "binary OpenPGP signature packets (armored by the target): parse, verify with the seed keys";

    public string Run(byte[] input) => ParseAndVerify(Armor.Wrap(input, OpenPgpSignature.ArmorBegin, OpenPgpSignature.ArmorEnd, "\n"));

    public string ParseAndVerify(string armored)
    {
        OpenPgpSignature signature;
        try
        {
            signature = OpenPgpSignature.Parse(armored);
        }
        catch (OpenPgpFormatException e)
        {
            return $"refused: {e.Message}";
        }
        var key = _keys.FirstOrDefault(k => k.KeyIds.Contains(signature.KeyId)) ?? _keys[0];
        var result = OpenPgpSignatureVerifier.Verify(key, signature, _message);
        return result.IsValid ? $"valid signature by {result.SigningKeyFingerprint}" : $"invalid: {result.Failure}";
    }
}
