using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Pipeline.Builders;

/// <summary>A finished builder's SLSA provenance, signed with the builder's key into a DSSE Sigstore bundle.</summary>
public static class ProvenanceWriter
{
    public static ProvenanceClaims Claims(BuilderRunResult result, ExportedSource source, BuildRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recipe);
        if (!result.Succeeded || result.Fingerprint is null) throw new ArgumentException("only a finished build has provenance", nameof(result));
        var variations = new SortedDictionary<string, string>(result.Variations.Recorded().ToDictionary(), StringComparer.Ordinal);
        foreach (var (name, note) in result.VariationNotes) variations[$"note:{name}"] = note;
        return new ProvenanceClaims(result.BuilderId, result.InvocationId, result.StartedOn, result.FinishedOn, source.Repository, source.CommitId,
            recipe.Digest(), recipe.Image.ToString(), result.Fingerprint.ImageId, recipe.Command, variations, result.Fingerprint.Recorded(),
            [.. result.Artifacts.Select(a => new StatementSubject(a.Name, a.Sha256))]);
    }

    public static byte[] Write(BuilderRunResult result, ExportedSource source, BuildRecipe recipe, IDigestSigner signer) =>
        BundleWriter.WriteDsse(InTotoStatements.WriteProvenance(Claims(result, source, recipe)), Dsse.InTotoPayloadType, signer);
}
