using System.Globalization;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Policy;
using BuildTrust.Testing.Ssh;

// Benchmark fixture: MakeSignedHistory DIR COUNT [sk-ed25519|sk-ecdsa] [--reviews]
// Writes DIR/repo with COUNT commits, each changing one file and signed by one of two software FIDO
// authenticators (touch flag set), DIR/policy.yaml naming both keys under require: hardware, and
// DIR/allowed_signers for git's own verification of the same commits. With --reviews, the first commit
// adds policies/release.yaml (reviews: 1) and becomes the trust root (DIR/trust-root), and every later
// commit carries one approval note by the other maintainer.
if (args.Length < 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 2)
{
    Console.Error.WriteLine("usage: MakeSignedHistory DIR COUNT [sk-ed25519|sk-ecdsa] [--reviews]");
    return 2;
}
var directory = Path.GetFullPath(args[0]);
var type = args.Contains("sk-ecdsa") ? SecurityKeyType.EcdsaP256 : SecurityKeyType.Ed25519;
var reviews = args.Contains("--reviews");
Directory.CreateDirectory(directory);
using var alice = SoftwareFidoAuthenticator.Create(type, "alice@bench");
using var bob = SoftwareFidoAuthenticator.Create(type, "bob@bench");
var policy = new PolicyBuilder()
    .Maintainer("alice", ["author", "reviewer", "policy-admin"], alice.PublicKeyLine)
    .Maintainer("bob", ["author", "reviewer", "policy-admin"], bob.PublicKeyLine)
    .Reviews(reviews ? 1 : 0);
policy.WriteTo(Path.Combine(directory, "policy.yaml"));
File.WriteAllLines(Path.Combine(directory, "allowed_signers"), [$"alice@bench {alice.PublicKeyLine}", $"bob@bench {bob.PublicKeyLine}"]);

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
