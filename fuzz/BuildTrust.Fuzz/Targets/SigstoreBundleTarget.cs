using System.Security.Cryptography;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// sigstore-bundle: a bundle file (provenance, VSA or artifact signature) through
/// <see cref="BundleVerifier.VerifyDsse"/> and <see cref="BundleVerifier.VerifyMessageSignature"/> (bundle JSON,
/// DSSE envelope, PAE, ECDSA) against the seed key, then a verified DSSE payload through the statement readers,
/// as <c>compare</c> and <c>audit</c> do. Verification returns a value; the statement readers may throw
/// <see cref="SigstoreBundleException"/>.
/// </summary>
internal sealed class SigstoreBundleTarget(FuzzContext context) : IFuzzTarget
{
    private readonly byte[] _key = context.Bytes("bundle", "key.pub.der");
    private readonly byte[] _artifactSha256 = SHA256.HashData(context.Bytes("bundle", "artifact"));

    public string Name => "sigstore-bundle";

    public string Description => "Sigstore bundle v0.3 (DSSE envelope or message signature): verify, then read the statement";

    public string Run(byte[] input)
    {
        var dsse = BundleVerifier.VerifyDsse(input, "fuzz", _key, Dsse.InTotoPayloadType);
        var message = BundleVerifier.VerifyMessageSignature(input, "fuzz", _key, _artifactSha256);
        var statement = "";
        if (dsse.Verified)
        {
            statement = Statement(() => InTotoStatements.ReadProvenance(dsse.Payload!, "fuzz").BuilderId) + "; "
                        + Statement(() => InTotoStatements.ReadVerificationSummary(dsse.Payload!, "fuzz").VerifierId);
        }
        return $"dsse {dsse.Status}, message {message.Status}: {dsse.Message} {statement}";
    }

    private static string Statement(Func<string> read)
    {
        try
        {
            return $"statement by {read()}";
        }
        catch (SigstoreBundleException e)
        {
            return $"statement refused: {e.Message}";
        }
    }
}
