using System.Text;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Imports;

namespace BuildTrust.Verifiers.Tests.Imports;

/// <summary>
/// Tor Browser's builders' signed sums, in both layouts Tor uses, made here with the real gpg (Tor's published signatures are
/// not reachable from these machines): one list with a signature per builder beside it, and a folder per builder.
/// </summary>
public sealed class TorBrowserImportTests : IDisposable
{
    private readonly GpgKeyring gpg = new();
    private readonly TemporaryDirectory dist = new("buildtrust-tor-");
    private readonly TemporaryDirectory keys = new("buildtrust-tor-keys-");

    public void Dispose()
    {
        gpg.Dispose();
        dist.Dispose();
        keys.Dispose();
    }

    private const string Unsigned = "aaaa000000000000000000000000000000000000000000000000000000000000  tor-browser-linux-x86_64-13.0.1.tar.xz\n" +
                                    "bbbb000000000000000000000000000000000000000000000000000000000000  tor-browser-windows-x86_64-portable-13.0.1.exe\n";

    private string Builder(string name)
    {
        var fingerprint = gpg.Generate($"{name} <{name}@torproject.invalid>", "rsa3072");
        File.WriteAllText(Path.Combine(keys.Path, $"{name}.asc"), gpg.ExportPublic(fingerprint));
        return fingerprint;
    }

    private ImportReport Import() =>
        ImportEvaluator.Evaluate("tor", 2, SignedSumsFiles.Verify(dist.Path, TorBrowserLayout.Find(dist.Path), SignerKeyring.Load(keys.Path), DateTimeOffset.UtcNow), []);

    [Fact]
    public void Builders_signatures_beside_one_release_list_reach_the_quorum_and_a_forged_one_is_bad()
    {
        var version = Directory.CreateDirectory(Path.Combine(dist.Path, "13.0.1")).FullName;
        var list = Path.Combine(version, "sha256sums-unsigned-build.txt");
        File.WriteAllText(list, Unsigned);
        foreach (var builder in new[] { "boklm", "pierov", "richard" })
            File.WriteAllText($"{list}.asc-{builder}", gpg.Sign(Builder(builder), Encoding.UTF8.GetBytes(Unsigned)));
        var forger = gpg.Generate("forger <f@example.invalid>");
        File.WriteAllText($"{list}.asc-ma1", gpg.Sign(forger, Encoding.UTF8.GetBytes(Unsigned)));

        var group = Import().Groups.Single();

        Assert.Equal("13.0.1/unsigned-build", group.Group);
        Assert.True(group.Quorum.Passed, group.Quorum.Reason);
        Assert.Equal(["boklm", "pierov", "richard"], group.Sets.Single().Signers);
        Assert.Equal(AttestationVerdict.UnknownKey, group.Attestations.Single(a => a.Signer == "ma1").Verdict);
    }

    [Fact]
    public void Builders_own_folders_with_a_list_that_differs_give_two_sets_and_a_list_signed_after_a_change_is_bad()
    {
        var lists = new Dictionary<string, string>
        {
            ["boklm"] = Unsigned,
            ["pierov"] = Unsigned,
            ["richard"] = Unsigned.Replace("aaaa", "cccc", StringComparison.Ordinal),
        };
        foreach (var (builder, list) in lists)
        {
            var folder = Directory.CreateDirectory(Path.Combine(dist.Path, builder)).FullName;
            File.WriteAllText(Path.Combine(folder, "sha256sums-signed-build.txt"), list);
            File.WriteAllText(Path.Combine(folder, "sha256sums-signed-build.txt.asc"), gpg.Sign(Builder(builder), Encoding.UTF8.GetBytes(list)));
        }

        var group = Import().Groups.Single();
        Assert.Equal("signed-build", group.Group);
        Assert.Equal(2, group.Sets.Count);
        Assert.Equal(["richard"], group.Sets[1].Signers);
        Assert.True(group.Quorum.Passed);

        File.AppendAllText(Path.Combine(dist.Path, "pierov", "sha256sums-signed-build.txt"), "dddd000000000000000000000000000000000000000000000000000000000000  extra.txt\n");
        var changed = Import().Groups.Single();
        Assert.Equal(AttestationVerdict.Bad, changed.Attestations.Single(a => a.Signer == "pierov").Verdict);
        Assert.False(changed.Quorum.Passed);
    }
}
