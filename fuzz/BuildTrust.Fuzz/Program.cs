using BuildTrust.Fuzz;
using SharpFuzz;

// buildtrust-fuzz list                     the targets, one per line: name, then what it drives
// buildtrust-fuzz TARGET                   under afl-fuzz: the fork server (SharpFuzz, out of process); otherwise one input from stdin
// buildtrust-fuzz replay TARGET FILE...    runs each file once and prints the outcome; exit 1 if any escaped as a finding
// buildtrust-fuzz minimize TARGET IN OUT    writes the smallest input found that behaves as IN does (same finding, or same outcome)
var context = FuzzContext.Default();
switch (args)
{
    case ["list"]:
        foreach (var name in TargetCatalog.Names) Console.WriteLine($"{name,-18} {TargetCatalog.Find(name, context)!.Description}");
        return 0;
    case ["replay", var name, .. var files] when files.Length > 0 && TargetCatalog.Find(name, context) is { } target:
        var findings = 0;
        foreach (var file in files)
        {
            // On a thread with a thread-pool thread's stack (1.5 MiB), where the CLI's async commands run, not the 8 MiB main thread.
            var replay = new Thread(() =>
            {
                try
                {
                    Console.WriteLine($"{file}: {target.Run(File.ReadAllBytes(file))}");
                }
                catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
                {
                    findings++;
                    Console.WriteLine($"{file}: FINDING {e}");
                }
            }, maxStackSize: 1536 * 1024);
            replay.Start();
            replay.Join();
        }
        return findings == 0 ? 0 : 1;
    case ["minimize", var name, var input, var output] when TargetCatalog.Find(name, context) is { } target:
        var minimal = Minimizer.Minimize(target, File.ReadAllBytes(input));
        File.WriteAllBytes(output, minimal);
        Console.WriteLine($"{output}: {minimal.Length} bytes ({new FileInfo(input).Length} before); {Minimizer.Behaviour(target, minimal)}");
        return 0;
    case [var name] when TargetCatalog.Names.Contains(name):
        // Built inside the fuzz loop: instrumented code (the policy loader, OpenPGP parsing) must not run before
        // SharpFuzz has mapped the coverage memory. SharpFuzz runs the first input twice and keeps the second trace.
        IFuzzTarget? fuzzed = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            fuzzed ??= TargetCatalog.Find(name, context)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            fuzzed.Run(buffer.ToArray());
        });
        return 0;
    default:
        Console.Error.WriteLine($"usage: buildtrust-fuzz list | TARGET | replay TARGET FILE... | minimize TARGET IN OUT   (targets: {string.Join(", ", TargetCatalog.Names)})");
        return 2;
}
