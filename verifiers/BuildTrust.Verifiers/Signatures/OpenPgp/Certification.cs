using Org.BouncyCastle.Bcpg.OpenPgp;

namespace BuildTrust.Verifiers.Signatures.OpenPgp;

/// <summary>
/// The certification that counts for one fact about a key (its self-signature, a subkey's binding or
/// back-signature), or, when none counts, why ("there is none", "the latest uses SHA-1, ...").
/// </summary>
/// <param name="Refused">When none counts, the signature that verifies but was refused by a rule, if any.</param>
internal sealed record Certification(PgpSignature? Signature, string? Refusal, PgpSignature? Refused = null)
{
    public const string DoesNotVerify = "does not verify";

    /// <summary>The most recent signature that counts; otherwise the most telling refusal (a policy refusal of a signature that verifies before one that does not verify).</summary>
    public static Certification Choose(IReadOnlyList<(PgpSignature Signature, string? Refusal)> checkedSignatures)
    {
        if (checkedSignatures.Count == 0) return new Certification(null, "there is none");
        var counted = checkedSignatures.Where(c => c.Refusal is null).ToList();
        if (counted.Count > 0) return new Certification(counted.MaxBy(c => c.Signature.CreationTime).Signature, null);
        var telling = checkedSignatures.Where(c => c.Refusal != DoesNotVerify).ToList();
        if (telling.Count == 0) return new Certification(null, $"the latest {DoesNotVerify}");
        var latest = telling.MaxBy(c => c.Signature.CreationTime);
        return new Certification(null, $"the latest {latest.Refusal}", latest.Signature);
    }
}
