using System.Text;
using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Policy;
using Org.BouncyCastle.X509;

namespace BuildTrust.Fuzz;

/// <summary>
/// The fixed material the targets verify against (fuzz/context, written by fuzz/make-seeds.py and copied
/// next to the assembly): the signed message, a policy naming every seed key, the trust roots.
/// </summary>
internal sealed class FuzzContext(string directory)
{
    /// <summary>Evaluation time for certificate validity: fixed, so a run does not depend on the day.</summary>
    public static readonly DateTime At = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The commit id the review-note seeds approve.</summary>
    public const string ReviewedCommit = "0123456789abcdef0123456789abcdef01234567";

    private readonly Lazy<ReleasePolicy> _policy = new(() => PolicyLoader.Load(System.IO.Path.Combine(directory, "policy", "policy.yaml")));
    private readonly Lazy<IReadOnlyList<X509Certificate>> _roots = new(() =>
        [.. Directory.GetFiles(System.IO.Path.Combine(directory, "policy", "trust"), "*.pem").Order(StringComparer.Ordinal)
            .SelectMany(path => KeyAttestationVerifier.ReadCertificates(File.ReadAllBytes(path), path))]);

    public static FuzzContext Default() => new(System.IO.Path.Combine(AppContext.BaseDirectory, "context"));

    /// <summary>The message every sshsig and OpenPGP seed signs.</summary>
    public byte[] Message => File.ReadAllBytes(Combine(["message"]));

    /// <summary>A policy holding every seed key (SSH of each type, security keys, OpenPGP with a signing subkey, an attested FIDO key).</summary>
    public ReleasePolicy Policy => _policy.Value;

    public IReadOnlyList<X509Certificate> AttestationRoots => _roots.Value;

    public string PolicyDirectory => Combine(["policy"]);

    public IReadOnlyList<OpenPgpKey> OpenPgpKeys =>
        [.. Directory.GetFiles(Combine(["policy", "keys"]), "openpgp-*.asc").Order(StringComparer.Ordinal).Select(path => OpenPgpKey.Parse(File.ReadAllBytes(path)))];

    /// <summary>Detached binary OpenPGP signatures of <see cref="Message"/> by the seed keys.</summary>
    public IReadOnlyList<byte[]> OpenPgpSignatures =>
        [.. Directory.GetFiles(Combine(["openpgp"]), "*.sig").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    public string Text(params string[] relative) => Encoding.ASCII.GetString(File.ReadAllBytes(Combine(relative)));

    public byte[] Bytes(params string[] relative) => File.ReadAllBytes(Combine(relative));

    private string Combine(string[] relative) => System.IO.Path.Combine([directory, .. relative]);
}
