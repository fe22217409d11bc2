using BuildTrust.Pipeline.Attestations;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Testing.Release;

/// <summary>
/// A build folder as <c>buildtrust build</c> leaves it, made without Docker: each builder's artifacts, and its provenance
/// written and signed by the real writers with the builder's PEM key. Lets sign and audit be tested (and attacked) in
/// milliseconds; the Docker-backed release tests show the same flow on real engines.
/// </summary>
public sealed class SyntheticBuild : IDisposable
{
    /// <summary>An image id nobody pulls: provenance only has to name the policy's pinned image.</summary>
    public const string Image = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private readonly TemporaryDirectory _output = new("buildtrust-synthetic-");

    /// <param name="committedPolicy">Also commit the policy folder (policy, builder and release public keys) into the repository, as the trust root.</param>
    public SyntheticBuild(bool committedPolicy = false, string? releaseKeyUri = null, byte[]? releasePublicKey = null)
    {
        Workspace = new ReleaseWorkspace([("builder-a", new Uri("unix:///nonexistent/a.sock"), []), ("builder-b", new Uri("unix:///nonexistent/b.sock"), [])],
            Image, ["make"], ["/out/bin/**"], quorum: 2, releaseKeyUri, releasePublicKey);
        Repository = TestRepository.Create();
        if (committedPolicy)
        {
            foreach (var file in new[] { "release.yaml", "builder-builder-a.pub", "builder-builder-b.pub", "release.pub" })
                File.Copy(Workspace.Combine(file), Path.Combine(Directory.CreateDirectory(Path.Combine(Repository.Path, "policies")).FullName, file));
            Repository.Git("add", "policies");
            TrustRoot = Repository.CommitSignedBy(Workspace.Maintainer, "Adopt BuildTrust", file: "README.md", content: "# sample\n");
        }
        Commit = Repository.CommitSignedBy(Workspace.Maintainer, "version 1.0", file: "VERSION", content: "1.0\n");
    }

    public ReleaseWorkspace Workspace { get; }

    public TestRepository Repository { get; }

    /// <summary>The commit that adopted the policy, when it is committed.</summary>
    public string? TrustRoot { get; }

    /// <summary>The commit that was "built".</summary>
    public string Commit { get; }

    public string Output => _output.Path;

    /// <summary>Writes every builder's artifacts and signed provenance (or only those named) into <see cref="Output"/>.</summary>
    public SyntheticBuild Build(IReadOnlyDictionary<string, byte[]>? artifacts = null, Func<string, IReadOnlyDictionary<string, string>>? fingerprint = null, params string[] builders)
    {
        artifacts ??= new Dictionary<string, byte[]> { ["bin/hello"] = "\u007fELF hello\n"u8.ToArray(), ["bin/VERSION.txt"] = "hello 1.0\n"u8.ToArray() };
        var recipe = PolicyLoader.Load(Workspace.PolicyPath).Build!;
        foreach (var (id, _, _) in Workspace.Builders.Where(b => builders.Length == 0 || builders.Contains(b.Id)))
        {
            foreach (var (name, bytes) in artifacts)
            {
                var path = Path.Combine(Output, id, "artifacts", name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, bytes);
            }
            var subjects = artifacts.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => new StatementSubject(a.Key, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(a.Value)))).ToList();
            var now = DateTimeOffset.UtcNow;
            var claims = new ProvenanceClaims(id, Guid.NewGuid().ToString(), now, now, $"file://{Repository.Path}", Commit, recipe.Digest(), recipe.Image.ToString(),
                Image, recipe.Command, new SortedDictionary<string, string>(StringComparer.Ordinal),
                fingerprint?.Invoke(id) ?? new SortedDictionary<string, string>(StringComparer.Ordinal) { ["engine-id"] = $"engine-of-{id}", ["engine-host"] = $"host-of-{id}" },
                subjects);
            using var signer = SigningKeys.Open(Workspace.BuilderKey(id), requireHardware: false);
            File.WriteAllBytes(Path.Combine(Output, id, "provenance.sigstore.json"),
                BundleWriter.WriteDsse(InTotoStatements.WriteProvenance(claims), Dsse.InTotoPayloadType, signer));
        }
        return this;
    }

    public void Dispose()
    {
        Workspace.Dispose();
        Repository.Dispose();
        _output.Dispose();
    }
}
