using System.Security.Cryptography;
using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Explain.Tests;

/// <summary>
/// A build folder as <c>buildtrust build</c> leaves it, without Docker: each builder's artifacts and its provenance, with the
/// variation values the pipeline would record for it, written and signed by the real writers with the builder's key.
/// </summary>
internal sealed class SignedBuildFolder : IDisposable
{
    private readonly TemporaryDirectory output = new("buildtrust-explain-");

    public SignedBuildFolder(params (string Id, string[] Variations)[] builders)
    {
        Workspace = new ReleaseWorkspace([.. builders.Select(b => (b.Id, new Uri("unix:///nonexistent/engine.sock"), b.Variations))], SyntheticBuild.Image, ["make"], ["/out/**"], 2);
        Policy = PolicyLoader.Load(Workspace.PolicyPath);
    }

    public ReleaseWorkspace Workspace { get; }

    public ReleasePolicy Policy { get; }

    public string Path => output.Path;

    public string Combine(params string[] parts) => output.Combine(parts);

    public SignedBuildFolder Build(string builderId, IReadOnlyDictionary<string, byte[]> artifacts)
    {
        foreach (var (name, bytes) in artifacts)
        {
            var path = Combine(builderId, "artifacts", name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        var builder = Policy.Builders.Single(b => b.Id == builderId);
        var now = DateTimeOffset.UtcNow;
        var claims = new ProvenanceClaims(builderId, Guid.NewGuid().ToString(), now.AddSeconds(-30), now, "file:///repo", new string('a', 40), Policy.Build!.Digest(),
            Policy.Build.Image.ToString(), SyntheticBuild.Image, Policy.Build.Command, VariationPlan.For(builder).Recorded(),
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["engine-id"] = $"engine-of-{builderId}", ["engine-host"] = $"host-of-{builderId}" },
            [.. artifacts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new StatementSubject(a.Key, Convert.ToHexStringLower(SHA256.HashData(a.Value))))]);
        using var signer = SigningKeys.Open(Workspace.BuilderKey(builderId), requireHardware: false);
        File.WriteAllBytes(Combine(builderId, "provenance.sigstore.json"), BundleWriter.WriteDsse(InTotoStatements.WriteProvenance(claims), Dsse.InTotoPayloadType, signer));
        return this;
    }

    public void Dispose()
    {
        Workspace.Dispose();
        output.Dispose();
    }
}
