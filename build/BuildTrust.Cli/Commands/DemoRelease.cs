using System.Security.Cryptography;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Testing.Pkcs11;

namespace BuildTrust.Cli.Commands;

/// <summary>
/// The release half of the demo: a builder image on both engines, two builder keys (PEM files) and a DEMO
/// release key generated on a fresh SoftHSM2 token; the policy sections naming them; then release, audit,
/// and a tampered artifact caught by the audit.
/// </summary>
internal sealed class DemoRelease : IDisposable
{
    /// <summary>The demo project's Makefile: a reproducible C build into /out.</summary>
    public const string Makefile = "/out/bin/hello: src/hello.c\n\tmkdir -p /out/bin\n\t$(CC) -O2 -fno-ident -ffile-prefix-map=$(CURDIR)=. -o $@ src/hello.c\n";

    private readonly SoftHsmToken token;
    private readonly string keys;

    private DemoRelease(SoftHsmToken token, string keys, string releaseDirectory, IReadOnlyDictionary<string, string> policyFiles, string policySections)
    {
        this.token = token;
        this.keys = keys;
        ReleaseDirectory = releaseDirectory;
        PolicyFiles = policyFiles;
        PolicySections = policySections;
    }

    public string ReleaseDirectory { get; }

    /// <summary>Files to add next to the policy in the trust-root commit (builder and release public keys).</summary>
    public IReadOnlyDictionary<string, string> PolicyFiles { get; }

    /// <summary>The builders, build and release sections appended to the demo policy.</summary>
    public string PolicySections { get; }

    public static async Task<DemoRelease> PrepareAsync(CliTerminal terminal, string directory, IReadOnlyList<Uri> engines, CancellationToken cancellationToken)
    {
        var error = terminal.Error;
        if (SoftHsmToken.SkipReason is { } missing) throw new InvalidOperationException(missing.Replace("SKIPPED: ", "", StringComparison.Ordinal));
        await error.WriteLineAsync("Preparing the release part: a builder image on both engines, builder keys, and a DEMO release key on a SoftHSM2 token");
        var image = await BuilderImageAsync(terminal, engines, cancellationToken);
        var keys = Path.Combine(directory, "keys");
        Directory.CreateDirectory(keys);
        var files = new Dictionary<string, string>();
        foreach (var builder in new[] { "builder-a", "builder-b" })
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            await File.WriteAllTextAsync(Path.Combine(keys, $"{builder}.pem"), key.ExportPkcs8PrivateKeyPem(), cancellationToken);
            files[$"policies/builders/{builder}.pub"] = key.ExportSubjectPublicKeyInfoPem() + "\n";
        }
        var token = SoftHsmToken.Create();
        using (var signer = SigningKeys.Open(token.Uri(), requireHardware: true))
        using (var key = ECDsa.Create())
        {
            key.ImportSubjectPublicKeyInfo(signer.SubjectPublicKeyInfo, out _);
            files["policies/release.pub"] = key.ExportSubjectPublicKeyInfoPem() + "\n";
        }
        await error.WriteLineAsync($"DEMO release key: an ECDSA P-256 key generated on SoftHSM2 token '{token.Label}' (a software HSM standing in for a YubiKey or an HSM)");
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
        return new DemoRelease(token, keys, Path.Combine(directory, "release"), files, sections);
    }

    public async Task<bool> RunAsync(CliTerminal terminal, string repository, string trustRoot, CancellationToken cancellationToken)
    {
        var error = terminal.Error;
        var keyArguments = new[] { "builder-a", "builder-b" }.Select(b => $"{b}={Path.Combine(keys, $"{b}.pem")}").ToArray();
        await error.WriteLineAsync();
        await error.WriteLineAsync("== 7. Release main: source gate, two builders on two engines, compare, sign with the DEMO release key on the token");
        await error.WriteLineAsync($"$ buildtrust release --repo {repository} --ref main --trust-root {trustRoot[..12]} --out {ReleaseDirectory} --builder-key ... --release-key pkcs11:...");
        var trust = new TrustOptions(TrustRoot: trustRoot);
        var released = await ReleaseCommand.RunAsync(terminal, repository, "main", ReleaseDirectory, trust, keyArguments, token.Uri(), cancellationToken);
        if (!Expect(terminal, released == ExitCodes.Passed, "released")) return false;

        await error.WriteLineAsync();
        await error.WriteLineAsync("== 8. An auditor replays the decision from the published files and the repository");
        await error.WriteLineAsync($"$ buildtrust audit {ReleaseDirectory} --repo {repository} --trust-root {trustRoot[..12]}");
        var audit = await AuditCommand.RunAsync(terminal, ReleaseDirectory, repository, trust, false, null, false, cancellationToken);
        if (!Expect(terminal, audit == ExitCodes.Passed, "audit passed")) return false;

        await error.WriteLineAsync();
        await error.WriteLineAsync("== 9. Attack: the published binary is replaced after signing");
        var hello = Path.Combine(ReleaseDirectory, "bin", "hello");
        var original = await File.ReadAllBytesAsync(hello, cancellationToken);
        await File.WriteAllBytesAsync(hello, [.. original, 0x90], cancellationToken);
        var tampered = await AuditCommand.RunAsync(terminal, ReleaseDirectory, repository, trust, false, null, false, cancellationToken);
        await File.WriteAllBytesAsync(hello, original, cancellationToken);
        return Expect(terminal, tampered == ExitCodes.VerificationFailed, "the audit failed");
    }

    private static bool Expect(CliTerminal terminal, bool asExpected, string what)
    {
        terminal.Error.WriteLine(asExpected ? $"-> as expected: {what}" : $"-> UNEXPECTED: not {what}");
        return asExpected;
    }

    private static async Task<string> BuilderImageAsync(CliTerminal terminal, IReadOnlyList<Uri> engines, CancellationToken cancellationToken)
    {
        var root = Testing.Containers.TestImages.RepositoryRoot;
        await terminal.Error.WriteLineAsync("the C toolchain builder image (built reproducibly with mmdebstrap on first use, about half a minute; cached under artifacts/images)");
        var image = await Task.Run(() => ImageCache.GetOrBuild(Path.Combine(root, "images", "c-toolchain.yaml"), Path.Combine(root, "artifacts", "images"),
            step => terminal.Error.WriteLine($"  image: {step}"), cancellationToken), cancellationToken);
        foreach (var endpoint in engines)
        {
            using var engine = DockerContainerEngine.Connect(endpoint, null);
            if (await engine.InspectImageAsync(image.Id, cancellationToken) is null) await ImageLoader.LoadAsync(engine, image, cancellationToken);
        }
        await terminal.Error.WriteLineAsync($"builder image {image.Id} on {string.Join(" and ", engines)}");
        return image.Id;
    }

    public void Dispose() => token.Dispose();
}
