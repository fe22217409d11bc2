using System.Security.Cryptography;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.Release;

/// <summary>
/// A policy folder for release tests: builder key pairs (PEM files; the public halves named in the policy),
/// a release key (a PEM file, or a SoftHSM2 token when given), one maintainer, and the builders, build and
/// release sections, written as <c>release.yaml</c>.
/// </summary>
public sealed class ReleaseWorkspace : IDisposable
{
    private readonly TemporaryDirectory directory = new("buildtrust-release-");

    public ReleaseWorkspace(IReadOnlyList<(string Id, Uri Endpoint, string[] Variations)> builders, string image, string[] command, string[] outputs, int quorum,
        string? releaseKeyUri = null, byte[]? releasePublicKey = null)
    {
        Builders = builders;
        foreach (var (id, _, _) in builders) WriteKeyPair($"builder-{id}");
        if (releaseKeyUri is null)
        {
            WriteKeyPair("release");
            ReleaseKey = Combine("release.pem");
        }
        else
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(releasePublicKey!, out _);
            File.WriteAllText(Combine("release.pub"), key.ExportSubjectPublicKeyInfoPem());
            ReleaseKey = releaseKeyUri;
        }
        Maintainer = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        var yaml = new System.Text.StringBuilder();
        yaml.Append($"version: 1\nmaintainers:\n  - id: alice\n    roles: [author, reviewer, policy-admin]\n    keys:\n      - ssh: \"{Maintainer.PublicKeyLine}\"\n");
        yaml.Append("commits:\n  require: hardware\n  reviews: 0\nbuilders:\n");
        foreach (var (id, endpoint, variations) in builders)
        {
            yaml.Append($"  - id: {id}\n    endpoint: {endpoint}\n    key: builder-{id}.pub\n");
            if (variations.Length > 0) yaml.Append($"    variations: [{string.Join(", ", variations)}]\n");
        }
        yaml.Append($"build:\n  image: \"{image}\"\n  command: [{string.Join(", ", command.Select(c => $"\"{c}\""))}]\n  outputs: [{string.Join(", ", outputs.Select(o => $"\"{o}\""))}]\n");
        yaml.Append($"release:\n  quorum: {quorum}\n  signing-key: \"{ReleaseKey}\"\n  public-key: release.pub\n  signing-key-hardware: {(releaseKeyUri is null ? "optional" : "required")}\n");
        File.WriteAllText(PolicyPath, yaml.ToString());
    }

    public IReadOnlyList<(string Id, Uri Endpoint, string[] Variations)> Builders { get; }

    public SoftwareFidoAuthenticator Maintainer { get; }

    public string PolicyPath => Combine("release.yaml");

    public string ReleaseKey { get; }

    public string ReleasePublicKeyPem => Combine("release.pub");

    public string Combine(params string[] parts) => directory.Combine(parts);

    public string BuilderKey(string id) => Combine($"builder-{id}.pem");

    public string BuilderPublicKeyPem(string id) => Combine($"builder-{id}.pub");

    /// <summary>The <c>--builder-key</c> arguments for every builder.</summary>
    public IEnumerable<string> BuilderKeyArguments() => Builders.SelectMany(b => new[] { "--builder-key", $"{b.Id}={BuilderKey(b.Id)}" });

    private void WriteKeyPair(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Combine($"{name}.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Combine($"{name}.pub"), key.ExportSubjectPublicKeyInfoPem());
    }

    public void Dispose()
    {
        Maintainer.Dispose();
        directory.Dispose();
    }
}
