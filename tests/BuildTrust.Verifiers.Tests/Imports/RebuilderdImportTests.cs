using System.Text.Json.Nodes;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Imports;

namespace BuildTrust.Verifiers.Tests.Imports;

/// <summary>
/// rebuilderd-style in-toto v0.9 links: made by Debian's in-toto tools with Ed25519 keys (rebuilders' signatures, the daemon's
/// countersignature appended), and the link rebuilderd's own tests parse, whose key is not published.
/// </summary>
public sealed class RebuilderdImportTests : IDisposable
{
    private readonly TemporaryDirectory work = new("buildtrust-rebuilderd-");

    public void Dispose() => work.Dispose();

    private string Links => Directory.CreateDirectory(work.Combine("links")).FullName;

    private string Keys => Directory.CreateDirectory(work.Combine("keys")).FullName;

    /// <summary>An in-toto Ed25519 key pair (securesystemslib's format, for the tools) and its public key as rebuilderd publishes it (PEM).</summary>
    private string KeyPair(string name, string? pemFolder = null)
    {
        var path = work.Combine(name);
        ExternalProcess.Run("in-toto-keygen", ["-t", "ed25519", path]).ThrowOnFailure();
        var hex = JsonNode.Parse(File.ReadAllText(path + ".pub"))!["keyval"]!["public"]!.GetValue<string>();
        byte[] der = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. Convert.FromHexString(hex)];
        File.WriteAllText(Path.Combine(pemFolder ?? Keys, $"{name}.pem"), new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", der)) + "\n");
        return path;
    }

    /// <summary>A rebuilder's link for the artifact, as rebuilderd's workers make them: products are the rebuilt file; returns the link's path.</summary>
    private string Rebuild(string key, string artifact, string content, string folder)
    {
        var output = Directory.CreateDirectory(work.Combine($"out-{Guid.NewGuid():N}")).FullName;
        File.WriteAllText(Path.Combine(output, artifact), content);
        var target = Directory.CreateDirectory(Path.Combine(Links, folder)).FullName;
        ExternalProcess.Run("in-toto-run", ["-n", $"rebuild {artifact}", "-k", key, "-t", "ed25519", "-p", artifact, "-x", "-d", target], workingDirectory: output).ThrowOnFailure();
        return Directory.GetFiles(target, "*.link").Single();
    }

    /// <summary>
    /// The daemon's countersignature, appended as rebuilderd's daemon does; in-toto-sign refuses to add a second signature to a
    /// link, so securesystemslib (in-toto's signing library, Debian's python3-securesystemslib) makes it.
    /// </summary>
    private static void Countersign(string link, string key) => ExternalProcess.Run("/usr/bin/python3", ["-c", """
        import json, sys
        from securesystemslib import interface, keys, formats
        key = interface.import_ed25519_privatekey_from_file(sys.argv[2])
        link = json.load(open(sys.argv[1]))
        link["signatures"].append(keys.create_signature(key, formats.encode_canonical(link["signed"]).encode()))
        json.dump(link, open(sys.argv[1], "w"), indent=1)
        """, link, key]).ThrowOnFailure();

    /// <summary>An Ed25519 public key made by openssl, as rebuilderd's daemon prints one (PEM SubjectPublicKeyInfo).</summary>
    private void OpenSslEd25519(string publicPem)
    {
        var secret = work.Combine($"{Guid.NewGuid():N}.key");
        ExternalProcess.Run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", secret]).ThrowOnFailure();
        ExternalProcess.Run("openssl", ["pkey", "-in", secret, "-pubout", "-out", publicPem]).ThrowOnFailure();
    }

    private ImportReport Import(string? daemonKeyFolder = null, bool requireCountersignature = false, int quorum = 2) =>
        ImportEvaluator.Evaluate("rebuilderd", quorum, RebuilderdLinks.Verify(Links, Ed25519Keyring.Load(Keys),
            daemonKeyFolder is null ? null : Ed25519Keyring.Load(daemonKeyFolder), requireCountersignature), []);

    [InTotoFact]
    public void Links_of_three_rebuilders_that_reproduced_the_same_package_reach_the_quorum()
    {
        foreach (var name in new[] { "archlinux-rebuilder", "debian-rebuilder", "third-rebuilder" }) Rebuild(KeyPair(name), "foo_1.0_amd64.deb", "the package\n", name);

        var group = Import().Groups.Single();

        Assert.Equal("rebuild foo_1.0_amd64.deb", group.Group);
        Assert.True(group.Quorum.Passed, group.Quorum.Reason);
        Assert.Equal(["archlinux-rebuilder", "debian-rebuilder", "third-rebuilder"], group.Sets.Single().Signers);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("the package\n"u8.ToArray())), group.Quorum.Agreed!["foo_1.0_amd64.deb"]);
    }

    [InTotoFact]
    public void A_link_whose_product_digest_was_changed_is_bad_and_one_by_an_unlisted_key_is_unknown()
    {
        var link = Rebuild(KeyPair("honest"), "foo_1.0_amd64.deb", "the package\n", "honest");
        var stranger = KeyPair("stranger", Directory.CreateDirectory(work.Combine("elsewhere")).FullName);
        Rebuild(stranger, "foo_1.0_amd64.deb", "the package\n", "stranger");
        var text = File.ReadAllText(link);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("the package\n"u8.ToArray()));
        File.WriteAllText(link, text.Replace(digest, new string('0', 64), StringComparison.Ordinal));

        var attestations = Import(quorum: 1).Groups.Single().Attestations;

        var bad = attestations.Single(a => a.Signer == "honest");
        Assert.Equal(AttestationVerdict.Bad, bad.Verdict);
        Assert.Contains("does not verify", bad.Reason, StringComparison.Ordinal);
        Assert.Equal(AttestationVerdict.UnknownKey, attestations.Single(a => a.Signer == "?").Verdict);
    }

    [InTotoFact]
    public void The_daemons_countersignature_is_reported_and_when_required_a_link_without_it_is_refused()
    {
        var daemonKeys = Directory.CreateDirectory(work.Combine("daemon-keys")).FullName;
        var daemon = KeyPair("daemon", daemonKeys);
        var countersigned = Rebuild(KeyPair("one"), "bar_2.0_all.deb", "bar\n", "one");
        Countersign(countersigned, daemon);
        Rebuild(KeyPair("two"), "bar_2.0_all.deb", "bar\n", "two");

        var reported = Import(daemonKeys, quorum: 1).Groups.Single().Attestations;
        Assert.Contains("countersigned by the daemon", reported.Single(a => a.Signer == "one").Reason, StringComparison.Ordinal);
        Assert.Contains("not countersigned", reported.Single(a => a.Signer == "two").Reason, StringComparison.Ordinal);

        var required = Import(daemonKeys, requireCountersignature: true, quorum: 2).Groups.Single();
        Assert.Equal(AttestationVerdict.Good, required.Attestations.Single(a => a.Signer == "one").Verdict);
        Assert.Equal(AttestationVerdict.Refused, required.Attestations.Single(a => a.Signer == "two").Verdict);
        Assert.False(required.Quorum.Passed);
    }

    [Fact]
    public void The_link_rebuilderds_tests_parse_is_read_and_its_unpublished_key_reported_unknown()
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Imports", "Fixtures", "rebuilderd", "spytrap-adb_0.3.5-1_amd64.link"), Path.Combine(Links, "spytrap.link"));
        OpenSslEd25519(Path.Combine(Keys, "someone.pem"));

        var attestation = Import(quorum: 1).Groups.Single().Attestations.Single();

        Assert.Equal("rebuild spytrap-adb_0.3.5-1_amd64.deb", attestation.Group);
        Assert.Equal(AttestationVerdict.UnknownKey, attestation.Verdict);
        Assert.Contains("c25d24c04760b698", attestation.Reason, StringComparison.Ordinal);
        Assert.Equal("58a7d451d5d59fda6284a05418b99e34fab32d07e63d0b164404eaaed1317edd", attestation.Artifacts["spytrap-adb_0.3.5-1_amd64.deb"]);
    }

    [Fact]
    public void Malformed_links_are_each_reported_malformed_without_stopping_the_import()
    {
        File.WriteAllText(Path.Combine(Links, "float.json"), "{\"signatures\":[{\"keyid\":\"x\",\"sig\":\"" + new string('0', 128) + "\"}],\"signed\":{\"_type\":\"link\",\"name\":\"rebuild x\",\"products\":{\"x\":{\"sha256\":\"" + new string('1', 64) + "\"}},\"n\":1.5}}");
        File.WriteAllText(Path.Combine(Links, "layout.json"), "{\"signatures\":[],\"signed\":{\"_type\":\"layout\"}}");
        File.WriteAllText(Path.Combine(Links, "notjson.link"), "{");
        OpenSslEd25519(Path.Combine(Keys, "k.pem"));

        var attestations = Import(quorum: 1).Groups.SelectMany(g => g.Attestations).ToList();

        Assert.Equal(3, attestations.Count);
        Assert.All(attestations, a => Assert.Equal(AttestationVerdict.Malformed, a.Verdict));
        Assert.Contains(attestations, a => a.Reason.Contains("not an integer", StringComparison.Ordinal));
    }

    [Fact]
    public void Canonical_json_is_in_toto_rs_s_published_example_byte_for_byte()
    {
        // The example of in-toto-rs's Json::to_writer documentation (src/interchange/cjson/mod.rs, v0.4.0).
        var json = JsonNode.Parse("{\"o\":{\"a\":[1,2,3],\"s\":\"string\",\"n\":123,\"t\":true,\"f\":false,\"0\":null}}");

        Assert.Equal("{\"o\":{\"0\":null,\"a\":[1,2,3],\"f\":false,\"n\":123,\"s\":\"string\",\"t\":true}}",
            System.Text.Encoding.UTF8.GetString(CanonicalJson.Write(json, CanonicalJson.Dialect.InTotoRs)));
        Assert.Equal("\"a\nb\\tc\"", System.Text.Encoding.UTF8.GetString(CanonicalJson.Write(JsonValue.Create("a\nb\tc"), CanonicalJson.Dialect.InTotoRs)));
        Assert.Equal("\"a\nb\tc\"", System.Text.Encoding.UTF8.GetString(CanonicalJson.Write(JsonValue.Create("a\nb\tc"), CanonicalJson.Dialect.SecureSystemsLib)));
    }
}
