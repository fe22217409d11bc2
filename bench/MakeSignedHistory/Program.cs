using System.Globalization;
using BuildTrust.Demo.Repositories;
using BuildTrust.Testing.OpenPgp;
using BuildTrust.Demo.Policies;
using BuildTrust.Demo.Keys;
using BuildTrust.Testing.Ssh;

// Benchmark fixture: MakeSignedHistory DIR COUNT [sk-ed25519|sk-ecdsa|openpgp-ed25519|openpgp-rsa3072] [--reviews]
// Writes DIR/repo with COUNT commits, each changing one file and signed by one of two software FIDO
// authenticators (touch flag set), DIR/policy.yaml naming both keys under require: hardware, and
// DIR/allowed_signers for git's own verification of the same commits. With --reviews, the first commit
// adds policies/release.yaml (reviews: 1) and becomes the trust root (DIR/trust-root), and every later
// commit carries one approval note by the other maintainer. With an openpgp-* type the two maintainers
// have keys made by gpg (DIR/gnupg holds them for git's own verification) under require: signed, and
// every commit is signed in process with BouncyCastle from the exported secret keys.
if (args.Length < 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 2)
{
    Console.Error.WriteLine("usage: MakeSignedHistory DIR COUNT [sk-ed25519|sk-ecdsa] [--reviews]");
    return 2;
}
var directory = Path.GetFullPath(args[0]);
var type = args.Contains("sk-ecdsa") ? SecurityKeyType.EcdsaP256 : SecurityKeyType.Ed25519;
var openPgp = args.FirstOrDefault(a => a.StartsWith("openpgp-", StringComparison.Ordinal))?["openpgp-".Length..];
var reviews = args.Contains("--reviews");
Directory.CreateDirectory(directory);
ISigner alice, bob;
PolicyBuilder policy;
if (openPgp is null)
{
    var aliceKey = SoftwareFidoAuthenticator.Create(type, "alice@bench");
    var bobKey = SoftwareFidoAuthenticator.Create(type, "bob@bench");
    (alice, bob) = (aliceKey, bobKey);
    policy = new PolicyBuilder()
        .Maintainer("alice", ["author", "reviewer", "policy-admin"], aliceKey.PublicKeyLine)
        .Maintainer("bob", ["author", "reviewer", "policy-admin"], bobKey.PublicKeyLine);
    File.WriteAllLines(Path.Combine(directory, "allowed_signers"), [$"alice@bench {aliceKey.PublicKeyLine}", $"bob@bench {bobKey.PublicKeyLine}"]);
}
else
{
    using var gpg = new GpgKeyring(Path.Combine(directory, "gnupg"));
    var keys = Directory.CreateDirectory(Path.Combine(directory, "keys")).FullName;
    var aliceFingerprint = gpg.Generate("Alice <alice@bench.invalid>", openPgp);
    var bobFingerprint = gpg.Generate("Bob <bob@bench.invalid>", openPgp);
    File.WriteAllText(Path.Combine(keys, "alice.asc"), gpg.ExportPublic(aliceFingerprint));
    File.WriteAllText(Path.Combine(keys, "bob.asc"), gpg.ExportPublic(bobFingerprint));
    alice = new InProcessPgpSigner(gpg.ExportSecret(aliceFingerprint), aliceFingerprint);
    bob = new InProcessPgpSigner(gpg.ExportSecret(bobFingerprint), bobFingerprint);
    policy = new PolicyBuilder()
        .OpenPgpMaintainer("alice", ["author", "reviewer", "policy-admin"], "keys/alice.asc")
        .OpenPgpMaintainer("bob", ["author", "reviewer", "policy-admin"], "keys/bob.asc")
        .Require("signed");
}
policy.Reviews(reviews ? 1 : 0);
policy.WriteTo(Path.Combine(directory, "policy.yaml"));

var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
using var writer = SignedHistoryWriter.Create(Path.Combine(directory, "repo"));
var approvals = new List<(string, ISigner)>(count);
for (var i = 0; i < count; i++)
{
    var files = new Dictionary<string, string> { [$"src/module{i % 97}.txt"] = $"revision {i}\n" };
    if (i == 0 && reviews) files["policies/release.yaml"] = policy.ToYaml();
    var author = i % 2 == 0 ? alice : bob;
    var id = writer.Commit(files, $"Change {i}", author, start.AddMinutes(i));
    if (i == 0 && reviews) File.WriteAllText(Path.Combine(directory, "trust-root"), id);
    else if (reviews) approvals.Add((id, author == alice ? bob : alice));
    if ((i + 1) % 10_000 == 0) Console.Error.WriteLine($"  {i + 1} commits written");
}
if (reviews) writer.WriteApprovals(approvals, start.AddMinutes(count));
Console.WriteLine(writer.Head);
return 0;
