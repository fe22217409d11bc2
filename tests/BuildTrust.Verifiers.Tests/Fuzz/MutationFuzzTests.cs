using System.Text;
using BuildTrust.Testing.Attestation;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Demo.Policies;
using BuildTrust.Testing.Ssh;
using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Commits.Reviews;
using BuildTrust.Verifiers.Signatures.Ssh;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every parser that reads attacker-controlled input: bit flips, byte changes, cuts and
/// insertions of valid inputs must end in a result or the parser's own format exception, never another
/// exception (which the CLI would turn into a crash instead of exit 2). Seeds are fixed, so failures repeat.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Iterations = 5000;
    private static readonly byte[] Message = Encoding.UTF8.GetBytes("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nm\n");

    [Fact]
    public void SshSignature_WhenMutated_ParsesOrThrowsFormatErrorOnly()
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256);
        var key = SshPublicKey.Parse(authenticator.PublicKeyLine);
        var binary = Dearmor(authenticator.Sign(Message, "git"));
        foreach (var mutated in Mutations(binary, seed: 1))
        {
            Expect<SshFormatException>(() =>
            {
                var signature = SshSignature.Parse(SshSignatureWriter.Armor(mutated));
                SshSignatureVerifier.Verify(key, signature, Message, "git");
            });
        }
    }

    [Fact]
    public void SshPublicKey_WhenMutated_ParsesOrThrowsFormatErrorOnly()
    {
        foreach (var line in new[] { SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519).PublicKeyLine, InProcessSshKey.RsaKey(2048).PublicKeyLine })
        {
            var blob = Convert.FromBase64String(line.Split(' ')[1]);
            foreach (var mutated in Mutations(blob, seed: 2)) Expect<SshFormatException>(() => SshPublicKey.FromBlob(mutated));
        }
    }

    [Fact]
    public void CommitObject_WhenMutated_NeverThrows()
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        var raw = BuildTrust.Demo.Repositories.CommitPayload.InsertSignature(Message, authenticator.Sign(Message, "git"));
        var policy = PolicyLoader.Parse(Encoding.UTF8.GetBytes(new PolicyBuilder().Maintainer("a", ["author"], authenticator.PublicKeyLine).ToYaml()), "p");
        var gate = new CommitSignatureGate(policy);
        foreach (var mutated in Mutations(raw, seed: 3))
        {
            var record = GitCommitObject.Parse(new string('a', 40), mutated);
            gate.Verify(record);
        }
    }

    [Fact]
    public void OpenPgpSignatureAndKey_WhenMutated_ParseOrThrowFormatErrorOnly()
    {
        using var gpg = new GpgKeyring();
        var fingerprint = gpg.Generate("Fuzz <fuzz@test.invalid>", "rsa2048");
        var key = OpenPgpKey.Parse(Encoding.ASCII.GetBytes(gpg.ExportPublic(fingerprint)));
        var signature = Dearmor(gpg.Sign(fingerprint, Message), pgp: true);
        foreach (var mutated in Mutations(signature, seed: 4))
        {
            Expect<OpenPgpFormatException>(() =>
            {
                var parsed = OpenPgpSignature.Parse(ArmorPgp(mutated, "SIGNATURE"));
                OpenPgpSignatureVerifier.Verify(key, parsed, Message);
            });
        }
        var keyBytes = Dearmor(gpg.ExportPublic(fingerprint), pgp: true);
        foreach (var mutated in Mutations(keyBytes, seed: 5).Take(1500)) Expect<OpenPgpFormatException>(() => OpenPgpKey.Parse(mutated));
    }

    [Fact]
    public void ReviewNote_WhenMutated_ParsesOrThrowsFormatErrorOnly()
    {
        using var authenticator = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519);
        var note = Encoding.ASCII.GetBytes(authenticator.Sign(Message, "buildtrust-review") + "\n" + authenticator.Sign(Message, "buildtrust-review"));
        foreach (var mutated in Mutations(note, seed: 6)) Expect<ReviewNoteFormatException>(() => ApprovalNote.Parse(mutated));
    }

    [Fact]
    public void Policy_WhenMutated_ParsesOrThrowsPolicyErrorOnly()
    {
        var yaml = Encoding.UTF8.GetBytes(new PolicyBuilder()
            .Maintainer("alice", ["author", "reviewer"], SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519).PublicKeyLine)
            .Reviews(1, 2).Exempt(new string('b', 40), "reason").ToYaml());
        foreach (var mutated in Mutations(yaml, seed: 7)) Expect<PolicyException>(() => PolicyLoader.Parse(mutated, "fuzz.yaml"));
    }

    [Fact]
    public void Attestations_WhenMutated_VerifyOrThrowFormatErrorOnly()
    {
        using var ca = new TestAttestationCa();
        using var authenticator = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256);
        var roots = KeyAttestationVerifier.ReadCertificates(Encoding.ASCII.GetBytes(ca.RootPem), "root");
        var challenge = "challenge"u8.ToArray();
        var fido = TestFidoAttestation.Create(authenticator, ca, challenge);
        var key = SshPublicKey.Parse(authenticator.PublicKeyLine);
        foreach (var mutated in Mutations(fido, seed: 8).Take(3000))
            Expect<AttestationFormatException>(() => FidoEnrollmentAttestation.Verify(mutated, challenge, key, roots, DateTime.UtcNow));

        var ssh = InProcessSshKey.RsaKey(2048);
        var chain = Encoding.ASCII.GetBytes(ca.IssueChain(PublicKeys.FromOpenSsh(ssh.PublicKeyLine)));
        var der = Dearmor(Encoding.ASCII.GetString(chain).Split("-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----", pgp: false);
        var material = PublicKeyMaterial.FromSsh(SshPublicKey.Parse(ssh.PublicKeyLine));
        foreach (var mutated in Mutations(der, seed: 9).Take(3000))
        {
            Expect<AttestationFormatException>(() =>
            {
                var certificates = KeyAttestationVerifier.ReadCertificates(mutated, "fuzz");
                KeyAttestationVerifier.Verify(certificates, roots, [material], DateTime.UtcNow);
            });
        }
    }

    [Fact]
    public void SigstoreBundlesAndStatements_WhenMutated_VerifyFailOrAreMalformedOnly()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var directory = new BuildTrust.Testing.Tools.TemporaryDirectory("buildtrust-fuzz-");
        File.WriteAllText(directory.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        using var signer = BuildTrust.Pipeline.Signing.SigningKeys.Open(directory.Combine("key.pem"), requireHardware: false);
        var statement = BuildTrust.Verifiers.Statements.InTotoStatements.WriteProvenance(Sigstore.BundleTests.Claims());
        var bundle = BuildTrust.Pipeline.Attestations.BundleWriter.WriteDsse(statement, BuildTrust.Verifiers.Statements.Sigstore.Dsse.InTotoPayloadType, signer);
        var spki = key.ExportSubjectPublicKeyInfo();
        foreach (var mutated in Mutations(bundle, seed: 9))
        {
            var check = BuildTrust.Verifiers.Statements.Sigstore.BundleVerifier.VerifyDsse(mutated, "fuzz", spki, BuildTrust.Verifiers.Statements.Sigstore.Dsse.InTotoPayloadType);
            if (check.Verified) Expect<BuildTrust.Verifiers.Statements.Sigstore.SigstoreBundleException>(() => BuildTrust.Verifiers.Statements.InTotoStatements.ReadProvenance(check.Payload!, "fuzz"));
        }
        foreach (var mutated in Mutations(statement, seed: 10))
        {
            Expect<BuildTrust.Verifiers.Statements.Sigstore.SigstoreBundleException>(() => BuildTrust.Verifiers.Statements.InTotoStatements.ReadProvenance(mutated, "fuzz"));
        }
    }

    private static void Expect<TFormat>(Action parse)
        where TFormat : Exception
    {
        try
        {
            parse();
        }
        catch (TFormat)
        {
        }
    }

    /// <summary>Deterministic mutations: flipped bits, replaced bytes, cut tails, inserted and removed runs.</summary>
    private static IEnumerable<byte[]> Mutations(byte[] input, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Iterations; i++)
        {
            var bytes = input.ToList();
            var edits = 1 + random.Next(4);
            for (var e = 0; e < edits && bytes.Count > 0; e++)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(5))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes[at] = (byte)random.Next(256); break;
                    case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                    case 3: bytes.InsertRange(at, Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256))); break;
                    default: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8))); break;
                }
            }
            yield return bytes.ToArray();
        }
    }

    private static byte[] Dearmor(string armored, bool pgp = false) =>
        Convert.FromBase64String(string.Concat(armored.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal) && !(pgp && (l.StartsWith('=') || l.Contains(':'))))));

    private static string ArmorPgp(byte[] body, string kind) =>
        $"-----BEGIN PGP {kind}-----\n\n{Convert.ToBase64String(body)}\n-----END PGP {kind}-----\n";
}
