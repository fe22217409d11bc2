using System.Globalization;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Policy;
using BuildTrust.Testing.Ssh;

// Benchmark fixture: MakeSignedHistory DIR COUNT [sk-ed25519|sk-ecdsa]
// Writes DIR/repo with COUNT commits, each changing one file and signed by one of two software FIDO
// authenticators (touch flag set), DIR/policy.yaml naming both keys under require: hardware, and
// DIR/allowed_signers for git's own verification of the same commits.
if (args.Length < 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
{
    Console.Error.WriteLine("usage: MakeSignedHistory DIR COUNT [sk-ed25519|sk-ecdsa]");
    return 2;
}
var directory = Path.GetFullPath(args[0]);
var type = args.Length > 2 && args[2] == "sk-ecdsa" ? SecurityKeyType.EcdsaP256 : SecurityKeyType.Ed25519;
Directory.CreateDirectory(directory);
using var alice = SoftwareFidoAuthenticator.Create(type, "alice@bench");
using var bob = SoftwareFidoAuthenticator.Create(type, "bob@bench");
new PolicyBuilder()
    .Maintainer("alice", ["author"], alice.PublicKeyLine)
    .Maintainer("bob", ["author"], bob.PublicKeyLine)
    .WriteTo(Path.Combine(directory, "policy.yaml"));
File.WriteAllLines(Path.Combine(directory, "allowed_signers"), [$"alice@bench {alice.PublicKeyLine}", $"bob@bench {bob.PublicKeyLine}"]);

var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
using var writer = SignedHistoryWriter.Create(Path.Combine(directory, "repo"));
for (var i = 0; i < count; i++)
{
    var file = $"src/module{i % 97}.txt";
    writer.Commit(new Dictionary<string, string> { [file] = $"revision {i}\n" }, $"Change {i}", i % 2 == 0 ? alice : bob, start.AddMinutes(i));
    if ((i + 1) % 10_000 == 0) Console.Error.WriteLine($"  {i + 1} commits written");
}
Console.WriteLine(writer.Head);
return 0;
