// Hashes files with BuildTrust's ArtifactHasher and prints the time spent hashing (start-up excluded,
// as throughput is what is compared): "file PATH" for one file, "tree DIR" for every file under DIR.
using System.Diagnostics;
using System.Globalization;
using BuildTrust.Verifiers.Artifacts;

if (args.Length != 2 || args[0] is not ("file" or "tree"))
{
    Console.Error.WriteLine("usage: HashThroughput file PATH | tree DIR");
    return 2;
}
var clock = Stopwatch.StartNew();
if (args[0] == "file")
{
    Console.WriteLine(ArtifactHasher.HashFile(args[1]));
}
else
{
    var names = Directory.EnumerateFiles(args[1], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(args[1], f)).Order(StringComparer.Ordinal).ToList();
    var digests = ArtifactHasher.HashFiles(args[1], names);
    Console.WriteLine(digests.Count.ToString(CultureInfo.InvariantCulture) + " files");
}
Console.Error.WriteLine(clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
return 0;
