using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// in-toto: a statement (the DSSE payload) through <see cref="InTotoStatements.ReadProvenance"/> and
/// <see cref="InTotoStatements.ReadVerificationSummary"/>. Expected: <see cref="SigstoreBundleException"/>.
/// </summary>
internal sealed class InTotoStatementTarget : IFuzzTarget
{
    public string Name => "in-toto";

    public string Description => "in-toto statement JSON: SLSA provenance and verification summary readers";

    public string Run(byte[] input) => $"provenance {Read(() => InTotoStatements.ReadProvenance(input, "fuzz").SourceCommit)}; " +
                                       $"summary {Read(() => InTotoStatements.ReadVerificationSummary(input, "fuzz").ResourceUri)}";

    private static string Read(Func<string> read)
    {
        try
        {
            return $"accepted ({read()})";
        }
        catch (SigstoreBundleException e)
        {
            return $"refused: {e.Message}";
        }
    }
}
