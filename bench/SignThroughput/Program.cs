// Signs COUNT distinct SHA-256 digests with BuildTrust's signer (the code `sign` uses) from THREADS threads and
// prints signatures per second, measured in process once the key is open: "SignThroughput KEY COUNT [THREADS]".
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BuildTrust.Pipeline.Signing;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: SignThroughput KEY-REFERENCE COUNT [THREADS]");
    return 2;
}
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
using var signer = SigningKeys.Open(args[0], requireHardware: false);
var digests = Enumerable.Range(0, count).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
signer.SignDigest(digests[0]);
var clock = Stopwatch.StartNew();
digests.AsParallel().WithDegreeOfParallelism(threads).ForAll(d => signer.SignDigest(d));
Console.WriteLine((count / clock.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture));
return 0;
