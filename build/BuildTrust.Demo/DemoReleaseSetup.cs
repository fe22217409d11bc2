using System.Security.Cryptography;
using BuildTrust.Demo.Tokens;
using BuildTrust.Pipeline.Signing;

namespace BuildTrust.Demo;

/// <summary>
/// What the demo's release needs: the builder image on both engines, two builder keys (PEM files) and a DEMO release key
/// generated on a fresh SoftHSM2 token, and the policy sections and files naming them.
/// </summary>
public sealed class DemoReleaseSetup : IDisposable
{
    private readonly SoftHsmToken _token;

    private DemoReleaseSetup(SoftHsmToken token, string releaseDirectory, IReadOnlyList<string> builderKeyArguments, IReadOnlyDictionary<string, string> policyFiles, string policySections)
    {
        _token = token;
        ReleaseDirectory = releaseDirectory;
        BuilderKeyArguments = builderKeyArguments;
        PolicyFiles = policyFiles;
        PolicySections = policySections;
    }

    public string ReleaseDirectory { get; }

    /// <summary><c>ID=KEY</c> for each builder's provenance key (PEM files in the demo folder).</summary>
    public IReadOnlyList<string> BuilderKeyArguments { get; }

    /// <summary>Files to add next to the policy in the trust-root commit (builder and release public keys).</summary>
    public IReadOnlyDictionary<string, string> PolicyFiles { get; }

    /// <summary>The builders, build and release sections appended to the demo policy.</summary>
    public string PolicySections { get; }

    /// <summary>The DEMO release key on its SoftHSM2 token, with the PIN read from a file.</summary>
    public string ReleaseKeyUri => _token.Uri();

    public string TokenLabel => _token.Label;

    /// <summary>Throws <see cref="DemoUnavailableException"/> when SoftHSM2 is missing.</summary>
    public static async Task<DemoReleaseSetup> PrepareAsync(string directory, IReadOnlyList<Uri> engines, Action<string> progress, CancellationToken cancellationToken)
    {
        if (SoftHsmToken.MissingReason is { } missing) throw new DemoUnavailableException(missing);
        progress("the C toolchain builder image (built reproducibly with mmdebstrap on first use, about half a minute; cached in " + DemoImage.CacheDirectory() + ")");
        var image = await DemoImage.PrepareAsync(engines, step => progress($"  image: {step}"), cancellationToken);
        progress($"builder image {image} on {string.Join(" and ", engines)}");
        var keys = Path.Combine(directory, "keys");
        Directory.CreateDirectory(keys);
        var files = new Dictionary<string, string>();
        var arguments = new List<string>();
        foreach (var builder in new[] { "builder-a", "builder-b" })
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var privateKey = Path.Combine(keys, $"{builder}.pem");
            await File.WriteAllTextAsync(privateKey, key.ExportPkcs8PrivateKeyPem(), cancellationToken);
            files[$"policies/builders/{builder}.pub"] = key.ExportSubjectPublicKeyInfoPem() + "\n";
            arguments.Add($"{builder}={privateKey}");
        }
        var token = SoftHsmToken.Create();
        using (var signer = SigningKeys.Open(token.Uri(), requireHardware: true))
        using (var key = ECDsa.Create())
        {
            key.ImportSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo, out _);
            files["policies/release.pub"] = key.ExportSubjectPublicKeyInfoPem() + "\n";
        }
        var sections = $"""
            # The builders, the recipe and the release key (DEMO: two local engines, a SoftHSM2 token).
            builders:
              - id: builder-a
                endpoint: {engines[0]}
                key: builders/builder-a.pub
              - id: builder-b
                endpoint: {engines[1]}
                key: builders/builder-b.pub
                variations: [timezone, locale, umask, hostname, domain, user, build-path, num-cpus]
            build:
              image: "{image}"
              command: ["make"]
              outputs: ["/out/bin/**"]
            release:
              quorum: 2
              signing-key: "pkcs11:token={token.Label};object=release-key?module-path={SoftHsmToken.Module}"
              public-key: release.pub
              signing-key-hardware: required

            """;
        return new DemoReleaseSetup(token, Path.Combine(directory, "release"), arguments, files, sections);
    }

    public void Dispose() => _token.Dispose();
}
