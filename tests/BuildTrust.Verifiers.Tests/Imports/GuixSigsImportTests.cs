using System.Text;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Imports;

namespace BuildTrust.Verifiers.Tests.Imports;

/// <summary>
/// guix.sigs-style attestations: real published ones (Fixtures/guix.sigs, see its README) for what BuildTrust says about real
/// data, and ones made here by the real gpg for every refusal, each cross-checked with <c>gpg --verify</c>.
/// </summary>
public sealed class GuixSigsImportTests : IDisposable
{
    private static readonly string Published = Path.Combine(AppContext.BaseDirectory, "Imports", "Fixtures", "guix.sigs");

    private readonly GpgKeyring gpg = new();
    private readonly TemporaryDirectory repository = new("buildtrust-guix-sigs-");
    private readonly TemporaryDirectory keys = new("buildtrust-guix-keys-");

    public void Dispose()
    {
        gpg.Dispose();
        repository.Dispose();
        keys.Dispose();
    }

    private static ImportReport Import(string root, string keyFolder, int quorum = 2, string? version = null) =>
        ImportEvaluator.Evaluate("guix-sigs", quorum, SignedSumsFiles.Verify(root, GuixSigsLayout.Find(root, version), SignerKeyring.Load(keyFolder), DateTimeOffset.UtcNow), []);

    private static ImportedAttestation Of(ImportReport report, string group, string signer) =>
        report.Groups.Single(g => g.Group == group).Attestations.Single(a => a.Signer == signer);

    [Fact]
    public void Published_attestations_of_29_4_reach_the_quorum_with_the_signer_whose_list_differs_named_in_its_own_set()
    {
        var report = Import(Published, Path.Combine(Published, "builder-keys"));

        var all = report.Groups.Single(g => g.Group == "29.4/all");
        Assert.True(all.Quorum.Passed, all.Quorum.Reason);
        Assert.All(all.Attestations, a => Assert.Equal(AttestationVerdict.Good, a.Verdict));
        Assert.Equal(2, all.Sets.Count);
        Assert.Equal(["Emzy", "achow101", "fanquake"], all.Sets[0].Signers);
        Assert.Equal(["yuvicc"], all.Sets[1].Signers);
        Assert.Equal(28, all.Quorum.Agreed!.Count);
    }

    [Fact]
    public void A_published_signature_made_before_its_key_expired_is_good_though_gpg_now_reports_the_key_expired()
    {
        var report = Import(Published, Path.Combine(Published, "builder-keys"), version: "29.4");
        Assert.Equal(AttestationVerdict.Good, Of(report, "29.4/all", "Emzy").Verdict);

        gpg.ImportKey(File.ReadAllBytes(Path.Combine(Published, "builder-keys", "Emzy.gpg")));
        var emzy = Path.Combine(Published, "29.4", "Emzy", "all.SHA256SUMS");
        Assert.Contains("EXPKEYSIG", gpg.VerifyStatus(File.ReadAllText(emzy + ".asc"), File.ReadAllBytes(emzy)), StringComparison.Ordinal);
    }

    [Fact]
    public void Published_26_0rc1_codesigned_lists_disagree_and_the_group_fails_naming_both_sets()
    {
        var all = Import(Published, Path.Combine(Published, "builder-keys")).Groups.Single(g => g.Group == "26.0rc1/all");

        Assert.False(all.Quorum.Passed);
        Assert.Equal(2, all.Sets.Count);
        Assert.Contains("at most 1 of 2", all.Quorum.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_published_key_certified_only_with_SHA1_is_refused_naming_SHA1_and_the_others_still_reach_the_quorum()
    {
        var report = Import(Published, Path.Combine(Published, "builder-keys"), version: "24.2");

        var refused = Of(report, "24.2/all", "TheCharlatan");
        Assert.Equal(AttestationVerdict.Refused, refused.Verdict);
        Assert.Contains("SHA-1", refused.Reason, StringComparison.Ordinal);
        Assert.True(report.Groups.Single(g => g.Group == "24.2/all").Quorum.Passed);
    }

    /// <summary>Writes a signer's list and the armored signature <paramref name="sign"/> makes over it, and returns the list's bytes.</summary>
    private byte[] Attest(string version, string signer, string kind, string list, Func<byte[], string> sign, Func<byte[], byte[]>? tamper = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(repository.Path, version, signer)).FullName;
        var bytes = Encoding.UTF8.GetBytes(list);
        File.WriteAllText(Path.Combine(folder, $"{kind}.SHA256SUMS.asc"), sign(bytes));
        File.WriteAllBytes(Path.Combine(folder, $"{kind}.SHA256SUMS"), tamper?.Invoke(bytes) ?? bytes);
        return bytes;
    }

    private string Key(string signer, string algorithm = "ed25519", string? fakedTime = null, string expire = "never")
    {
        var fingerprint = gpg.Generate($"{signer} <{signer}@example.invalid>", algorithm, "sign", expire, fakedTime);
        File.WriteAllText(Path.Combine(keys.Path, $"{signer}.gpg"), gpg.ExportPublic(fingerprint));
        return fingerprint;
    }

    private const string List = "1111111111111111111111111111111111111111111111111111111111111111  app-1.0-x86_64.tar.gz\n" +
                                "2222222222222222222222222222222222222222222222222222222222222222  app-1.0-aarch64.tar.gz\n";

    [Fact]
    public void Every_refusal_made_with_gpg_gets_its_verdict_and_reason_and_gpg_refuses_the_same_signatures()
    {
        var alice = Key("alice");
        var bob = Key("bob", "rsa3072");
        var stranger = gpg.Generate("stranger <s@example.invalid>");
        var revoked = Key("revoked");
        var weak = Key("weak");
        var expiring = Key("expiring", fakedTime: "20191231T000000");
        Attest("1.0", "alice", "all", List, b => gpg.Sign(alice, b));
        Attest("1.0", "bob", "all", List, b => gpg.Sign(bob, b));
        Attest("1.0", "bob", "noncodesigned", List, b => gpg.Sign(bob, b), b => [.. b.Take(b.Length - 2), (byte)'X', (byte)'\n']);
        Attest("1.0", "carol", "all", List, b => gpg.Sign(stranger, b));
        Attest("1.0", "mallory", "all", List, b => gpg.Sign(alice, b));
        Attest("1.0", "weak", "all", List, b => gpg.Sign(weak, b, digest: "SHA1"));
        Attest("1.0", "expiring", "all", List, b => gpg.SignWith(expiring, b, "--faked-system-time", "20200101T000000", "--default-sig-expire", "1d"));
        Attest("1.0", "revoked", "all", List, b => gpg.Sign(revoked, b));
        gpg.RevokePrimary(revoked);
        File.WriteAllText(Path.Combine(keys.Path, "revoked.gpg"), gpg.ExportPublic(revoked));
        Directory.CreateDirectory(Path.Combine(repository.Path, "1.0", "garbled"));
        File.WriteAllText(Path.Combine(repository.Path, "1.0", "garbled", "all.SHA256SUMS"), List);
        File.WriteAllText(Path.Combine(repository.Path, "1.0", "garbled", "all.SHA256SUMS.asc"), "-----BEGIN PGP SIGNATURE-----\n\nnot base64 at all\n-----END PGP SIGNATURE-----\n");
        Directory.CreateDirectory(Path.Combine(repository.Path, "1.0", "unsigned"));
        File.WriteAllText(Path.Combine(repository.Path, "1.0", "unsigned", "all.SHA256SUMS"), List);

        var report = Import(repository.Path, keys.Path);

        (string Signer, string Kind, AttestationVerdict Verdict, string Reason)[] expected =
        [
            ("alice", "all", AttestationVerdict.Good, "good signature"),
            ("bob", "all", AttestationVerdict.Good, "good signature"),
            ("bob", "noncodesigned", AttestationVerdict.Bad, "does not verify"),
            ("carol", "all", AttestationVerdict.UnknownKey, "no key is given for signer 'carol'"),
            ("mallory", "all", AttestationVerdict.Bad, "signed with alice's key"),
            ("weak", "all", AttestationVerdict.Refused, "SHA-1"),
            ("expiring", "all", AttestationVerdict.Expired, "the signature expired on 2020-01-02"),
            ("revoked", "all", AttestationVerdict.Refused, "revoked"),
            ("garbled", "all", AttestationVerdict.Malformed, "does not hold one OpenPGP signature"),
            ("unsigned", "all", AttestationVerdict.Malformed, "without a signature"),
        ];
        foreach (var (signer, kind, verdict, reason) in expected)
        {
            var attestation = Of(report, $"1.0/{kind}", signer);
            Assert.True(attestation.Verdict == verdict, $"{signer}: {attestation.Verdict} ({attestation.Reason}), expected {verdict}");
            Assert.Contains(reason, attestation.Reason, StringComparison.Ordinal);
        }
        Assert.True(report.Groups.Single(g => g.Group == "1.0/all").Quorum.Passed);
        Assert.Equal(["alice", "bob"], report.Groups.Single(g => g.Group == "1.0/all").Sets.Single().Signers);
        Assert.False(report.Groups.Single(g => g.Group == "1.0/noncodesigned").Quorum.Passed);

        // The reference: gpg, with every key imported, accepts the good ones and refuses the others (SHA-1 and the revoked key aside: see below).
        foreach (var signer in new[] { "alice", "bob", "weak" }) gpg.ImportKey(File.ReadAllBytes(Path.Combine(keys.Path, $"{signer}.gpg")));
        string Status(string signer, string kind) => gpg.VerifyStatus(File.ReadAllText(Path.Combine(repository.Path, "1.0", signer, $"{kind}.SHA256SUMS.asc")),
            File.ReadAllBytes(Path.Combine(repository.Path, "1.0", signer, $"{kind}.SHA256SUMS")));
        Assert.Contains("GOODSIG", Status("alice", "all"), StringComparison.Ordinal);
        Assert.Contains("BADSIG", Status("bob", "noncodesigned"), StringComparison.Ordinal);
        Assert.Contains("EXPSIG", Status("expiring", "all"), StringComparison.Ordinal);
        Assert.Contains("REVKEYSIG", Status("revoked", "all"), StringComparison.Ordinal);
        // gpg accepts SHA-1 document signatures; BuildTrust refuses them on purpose (GPG-COMPARISON.md).
        Assert.Contains("GOODSIG", Status("weak", "all"), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_signers_with_the_same_list_reach_the_quorum_and_a_third_list_that_also_reaches_it_leaves_no_single_release()
    {
        var a = Key("a");
        var b = Key("b");
        var c = Key("c");
        var d = Key("d");
        var other = List.Replace("1111", "3333", StringComparison.Ordinal);
        Attest("2.0", "a", "all", List, x => gpg.Sign(a, x));
        Attest("2.0", "b", "all", List, x => gpg.Sign(b, x));
        Attest("2.0", "c", "all", other, x => gpg.Sign(c, x));
        Attest("2.0", "d", "all", other, x => gpg.Sign(d, x));

        var group = Import(repository.Path, keys.Path).Groups.Single();

        Assert.False(group.Quorum.Passed);
        Assert.Contains("2 different artifact sets each reach the quorum", group.Quorum.Reason, StringComparison.Ordinal);
        Assert.Equal(2, group.Sets.Count);
    }
}
