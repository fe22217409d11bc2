using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using BuildTrust.Demo.Policies;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Git;
using BuildTrust.Testing.Release;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// The installed tool is the product: the packages built from build/BuildTrust.Cli as users get them (the one they name,
/// pointing to the native one for linux-x64), installed with <c>dotnet tool install</c> into a fresh tool path, run from a
/// folder outside the checkout. Its command is the Native AOT executable; the commands that drive Docker or PKCS#11 run in
/// the framework-dependent build shipped beside it (JitCommands). Both must behave as the CLI does in process.
/// </summary>
[Collection("engines")]
public sealed class InstalledToolTests : IClassFixture<InstalledToolTests.PackedTool>
{
    private readonly PackedTool _tool;

    public InstalledToolTests(PackedTool tool) => _tool = tool;

    private ProcessResult Installed(params string[] arguments) => ExternalProcess.Run(_tool.Command, arguments, Path.GetTempPath(), timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public void The_packages_hold_the_product_only_no_test_assembly_nor_test_framework()
    {
        Assert.Equal(["BuildTrust.0.1.0.nupkg", "BuildTrust.linux-x64.0.1.0.nupkg"], _tool.Packages.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in _tool.Packages)
        {
            using var package = ZipFile.OpenRead(file);
            var entries = package.Entries.Select(e => e.FullName).ToList();
            var deps = package.Entries.Where(e => e.FullName.EndsWith(".deps.json", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()).ToList();
            foreach (var forbidden in new[] { "BuildTrust.Testing", "xunit", "Microsoft.TestPlatform", "testhost", "Microsoft.NET.Test.Sdk" })
            {
                Assert.DoesNotContain(entries, e => e.Contains(forbidden, StringComparison.OrdinalIgnoreCase));
                Assert.All(deps, d => Assert.DoesNotContain(forbidden, d, StringComparison.OrdinalIgnoreCase));
            }
        }
        using var native = ZipFile.OpenRead(_tool.Packages.Single(p => p.Contains("linux-x64", StringComparison.Ordinal)));
        var names = native.Entries.Select(e => e.FullName).ToList();
        Assert.Contains(names, e => e.EndsWith("/linux-x64/buildtrust", StringComparison.Ordinal));
        Assert.Contains(names, e => e.EndsWith("/linux-x64/jit/buildtrust.dll", StringComparison.Ordinal));
        Assert.Contains(names, e => e.EndsWith("/linux-x64/jit/buildtrust.runtimeconfig.json", StringComparison.Ordinal));
        Assert.Contains(names, e => e.EndsWith("/linux-x64/jit/BuildTrust.Demo.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(names, e => e.EndsWith(".dbg", StringComparison.Ordinal));
    }

    [Fact]
    public void The_installed_command_is_the_native_executable_with_the_jit_build_beside_it()
    {
        var executable = new FileInfo(_tool.Command).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? _tool.Command;
        var folder = Path.GetDirectoryName(executable)!;
        var header = new byte[4];
        using (var file = File.OpenRead(executable)) file.ReadExactly(header);

        Assert.Equal("\u007fELF"u8.ToArray(), header);
        Assert.False(File.Exists(Path.Combine(folder, "buildtrust.dll")), "the command must not be a launcher of buildtrust.dll");
        Assert.True(File.Exists(Path.Combine(folder, "jit", "buildtrust.dll")));
        Assert.True(new FileInfo(executable).Length > 5_000_000, "a native executable holds the compiled code");
    }

    [EngineFact]
    public void The_installed_tool_runs_the_demo_end_to_end_in_an_empty_folder_outside_the_checkout()
    {
        using var empty = new TemporaryDirectory("buildtrust-user-");

        var run = ExternalProcess.Run(_tool.Command, ["demo", "--out", empty.Combine("demo"), "--engine", TestEngines.A.ToString(), "--engine", TestEngines.B.ToString()],
            empty.Path, timeout: TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("Demo complete", run.StandardError);
        Assert.Contains("RELEASED main", run.StandardError);
    }

    [Fact]
    public void The_installed_tool_explains_itself_and_fails_cleanly_on_bad_input()
    {
        using var empty = new TemporaryDirectory("buildtrust-user-");

        var help = ExternalProcess.Run(_tool.Command, ["--help"], empty.Path);
        var buildHelp = ExternalProcess.Run(_tool.Command, ["build", "--help"], empty.Path);
        var bad = ExternalProcess.Run(_tool.Command, ["verify-commits", "--repo", empty.Path, "HEAD"], empty.Path);
        var usage = ExternalProcess.Run(_tool.Command, ["verify-commits", "--no-such-option", "HEAD"], empty.Path);
        var unknown = ExternalProcess.Run(_tool.Command, ["no-such-command"], empty.Path);

        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "init", "policy", "verify-commits", "review", "image", "build", "rebuild", "compare", "explain", "sign", "release", "audit", "import", "demo" })
            Assert.Contains($"  {command}", help.StandardOutput);
        Assert.Equal(InProcessHelp("--help"), help.StandardOutput);
        Assert.Equal(0, buildHelp.ExitCode);
        Assert.Equal(InProcessHelp("build", "--help"), buildHelp.StandardOutput);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not inside a git repository", bad.StandardError);
        Assert.DoesNotContain("   at ", bad.StandardError);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(CliRun.Invoke("verify-commits", "--no-such-option", "HEAD").Error, usage.StandardError);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no-such-command", unknown.StandardError);
    }

    /// <summary>Help as the in-process CLI prints it, under the installed command's name (in process, the root command is named after the test host).</summary>
    private static string InProcessHelp(params string[] arguments) =>
        CliRun.Invoke(arguments).Out.Replace($"  {new System.CommandLine.RootCommand().Name} ", "  buildtrust ", StringComparison.Ordinal);

    /// <summary>verify-commits, policy check and audit as the installed tool runs them write the reports the in-process CLI writes, byte for byte.</summary>
    [Fact]
    public void The_installed_tools_json_reports_are_the_in_process_ones()
    {
        using var build = new SyntheticBuild(committedPolicy: true).Build();
        var repository = build.Repository.Path;
        var root = build.TrustRoot!;
        var sign = CliRun.Invoke("sign", "--repo", repository, "--trust-root", root, "--release-key", build.Workspace.ReleaseKey, build.Output);
        Assert.True(sign.ExitCode == 0, sign.Error);
        string[][] commands =
        [
            ["verify-commits", "--repo", repository, "--trust-root", root, "--json", $"{root}..HEAD"],
            ["verify-commits", "--repo", repository, "--policy", build.Workspace.PolicyPath, "--json", "HEAD"],
            ["policy", "check", "--repo", repository, "--trust-root", root, "--json"],
            ["policy", "check", "--policy", build.Workspace.PolicyPath, "--json"],
            ["audit", "--repo", repository, "--trust-root", root, "--json", build.Output],
            ["audit", "--json", build.Output],
        ];

        foreach (var command in commands)
        {
            var inProcess = CliRun.Invoke(command);
            var installed = Installed(command);

            Assert.True(inProcess.Out.Length > 100, $"{string.Join(' ', command)}: {inProcess.Error}");
            Assert.Equal(inProcess.ExitCode, installed.ExitCode);
            Assert.Equal(inProcess.Out, installed.StandardOutput);
            Assert.Equal(inProcess.Error, installed.StandardError);
        }
    }

    /// <summary>import runs in the native executable and writes the in-process report; with --vsa (the key may be a token) the JIT build writes a VSA that verifies.</summary>
    [Fact]
    public void The_installed_tool_imports_natively_and_hands_a_vsa_to_the_jit_build()
    {
        var published = Path.Combine(TestImages.RepositoryRoot, "tests", "BuildTrust.Verifiers.Tests", "Imports", "Fixtures", "guix.sigs");
        using var work = new TemporaryDirectory("buildtrust-import-");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        File.WriteAllText(work.Combine("vsa.pem"), key.ExportPkcs8PrivateKeyPem());
        string[] import = ["import", "guix-sigs", published, "--keys", Path.Combine(published, "builder-keys"), "--version", "29.4"];

        var inProcess = CliRun.Invoke([.. import, "--json"]);
        var installed = Installed([.. import, "--json"]);
        var whole = Installed("import", "guix-sigs", published, "--keys", Path.Combine(published, "builder-keys"));
        var vsa = Installed([.. import, "--vsa", work.Combine("import.sigstore.json"), "--vsa-key", work.Combine("vsa.pem")]);

        Assert.True(installed.ExitCode == 0, installed.StandardError);
        Assert.Equal(inProcess.Out, installed.StandardOutput);
        Assert.Equal(inProcess.Error, installed.StandardError);
        Assert.Equal(1, whole.ExitCode);
        Assert.Contains("FAILED  26.0rc1/all", whole.StandardError);
        Assert.True(vsa.ExitCode == 0, vsa.StandardError);
        var bundle = work.Combine("import.sigstore.json");
        var check = BundleVerifier.VerifyDsse(File.ReadAllBytes(bundle), bundle, key.ExportSubjectPublicKeyInfo(), Dsse.InTotoPayloadType);
        Assert.True(check.Verified, check.Message);
    }

    /// <summary>explain runs in the native executable and writes the in-process text, JSON and HTML; its bisections are handed to the JIT build.</summary>
    [Fact]
    public void The_installed_tool_explains_natively_and_hands_bisections_to_the_jit_build()
    {
        using var work = new TemporaryDirectory("buildtrust-explain-");
        foreach (var (builder, host) in new[] { ("a", "host-a"), ("b", "host-b") })
        {
            Directory.CreateDirectory(work.Combine(builder, "artifacts"));
            File.WriteAllText(work.Combine(builder, "artifacts", "BUILDINFO"), $"version 1.0\nbuilt on {host}\n");
        }

        var inProcess = CliRun.Invoke("explain", "--json", "--html", work.Combine("in-process.html"), work.Path);
        var installed = Installed("explain", "--json", "--html", work.Combine("installed.html"), work.Path);
        var bisect = Installed("explain", "--bisect-variations", work.Path);

        Assert.Equal(1, installed.ExitCode);
        Assert.Equal(WithoutElapsed(inProcess.Out), WithoutElapsed(installed.StandardOutput));
        Assert.Equal(WithoutElapsed(inProcess.Error.Replace("in-process.html", "installed.html", StringComparison.Ordinal)), WithoutElapsed(installed.StandardError));
        Assert.Equal(WithoutElapsed(File.ReadAllText(work.Combine("in-process.html"))), WithoutElapsed(File.ReadAllText(work.Combine("installed.html"))));
        Assert.Contains("BUILDINFO", installed.StandardError);
        Assert.Equal(2, bisect.ExitCode);
        Assert.Equal(CliRun.Invoke("explain", "--bisect-variations", work.Path).Error, bisect.StandardError);
    }

    /// <summary>review approve (ssh-keygen from the native executable) writes an approval the gate counts; --junit and --sarif are the in-process CLI's files.</summary>
    [Fact]
    public void The_installed_tool_approves_a_review_and_writes_the_ci_reports_the_in_process_cli_writes()
    {
        using var repository = TestRepository.Create();
        using var keys = new TemporaryDirectory("buildtrust-keys-");
        var author = SshKeygenKey.Generate(keys.Path, "ed25519", comment: "author");
        var reviewer = SshKeygenKey.Generate(keys.Path, "ed25519", comment: "reviewer");
        var policy = new PolicyBuilder().Maintainer("author", ["author", "policy-admin"], author.PublicKeyLine).Maintainer("reviewer", ["reviewer"], reviewer.PublicKeyLine)
            .Require("signed").Reviews(1);
        var root = repository.CommitWithGit("Adopt BuildTrust", author, "policies/release.yaml", policy.ToYaml());
        var change = repository.CommitWithGit("feature", author);
        repository.CommitWithGit("unreviewed", author);

        var approve = Installed("review", "approve", "--repo", repository.Path, "--key", reviewer.PrivateKeyPath, change);
        string[] gate = ["verify-commits", "--repo", repository.Path, "--trust-root", root, $"{root}..HEAD"];
        var inProcess = CliRun.Invoke([.. gate, "--junit", keys.Combine("a.xml"), "--sarif", keys.Combine("a.sarif")]);
        var installed = Installed([.. gate, "--junit", keys.Combine("b.xml"), "--sarif", keys.Combine("b.sarif")]);

        Assert.True(approve.ExitCode == 0, approve.StandardError);
        Assert.Contains($"Approved {change}", approve.StandardError);
        Assert.Contains("reviewed by reviewer (note)", installed.StandardError);
        Assert.Equal(1, installed.ExitCode);
        Assert.Equal(inProcess.Error, installed.StandardError);
        foreach (var (a, b) in new[] { ("a.xml", "b.xml"), ("a.sarif", "b.sarif") })
            Assert.Equal(WithoutTimes(File.ReadAllText(keys.Combine(a))), WithoutTimes(File.ReadAllText(keys.Combine(b))));
        Assert.Contains("pending-review", File.ReadAllText(keys.Combine("b.xml")));
    }

    /// <summary>An explanation without the time it took ("elapsedSeconds" in JSON, "N.NN s" in text and HTML).</summary>
    private static string WithoutElapsed(string report) =>
        System.Text.RegularExpressions.Regex.Replace(report, "\"elapsedSeconds\":[0-9.eE+-]+|[0-9]+\\.[0-9]+ s\\b", "");

    private static string WithoutTimes(string report) =>
        System.Text.RegularExpressions.Regex.Replace(report, "(timestamp=\"|\"(?:start|end)TimeUtc\":\\s*\")[0-9T:.Z-]+", "$1");

    [Fact]
    public void A_closed_stdout_ends_with_one_line_and_exit_3_in_both_builds()
    {
        using var build = new SyntheticBuild(committedPolicy: true).Build();
        var environment = new Dictionary<string, string> { ["BT"] = _tool.Command };

        var native = ExternalProcess.Run("bash", ["-c", $"exec \"$BT\" verify-commits --repo '{build.Repository.Path}' --policy '{build.Workspace.PolicyPath}' --json HEAD >&-"],
            environment: environment, timeout: TimeSpan.FromMinutes(2));
        var jit = ExternalProcess.Run("bash", ["-c", $"exec \"$BT\" compare --policy '{build.Workspace.PolicyPath}' --json '{build.Output}' >&-"],
            environment: environment, timeout: TimeSpan.FromMinutes(2));

        Assert.Equal(3, native.ExitCode);
        Assert.Contains("standard output is closed", native.StandardError);
        Assert.Equal(3, jit.ExitCode);
        Assert.Contains("standard output is closed", jit.StandardError);
        Assert.Contains("COMPARE PASSED", jit.StandardError);
    }

    /// <summary>
    /// The native executable cancels on SIGTERM, SIGHUP and SIGINT as the JIT build does: exit 3, one line. The report is held
    /// up by a reader that does not read yet (its pipe full), so the signal arrives while commits are still being judged.
    /// </summary>
    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    [InlineData("INT")]
    public void A_signal_cancels_the_native_gate_with_exit_3(string signal)
    {
        using var repository = TestRepository.Create();
        using var alice = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice");
        using var outside = new TemporaryDirectory("buildtrust-signal-");
        var policy = new PolicyBuilder().Maintainer("alice", ["author"], alice.PublicKeyLine).WriteTo(outside.Combine("release.yaml"));
        // About 1.3 KiB of JSON per verdict: 250 of them fill the 64 KiB write buffer and the 64 KiB pipe more than twice over.
        for (var i = 0; i < 250; i++) repository.CommitSignedBy(alice, $"change {i}");
        // Through env --default-signal: a test run started in the background by a shell without job control inherits SIGINT and
        // SIGQUIT ignored, and the runtime (as any Unix program) keeps an inherited SIG_IGN. env resets them and execs the tool (same PID).
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--default-signal=INT,TERM,HUP", _tool.Command, "verify-commits", "--repo", repository.Path, "--policy", policy, "--json", "HEAD" }) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var error = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error) error.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();

        WaitUntilStalled(process);
        ExternalProcess.Run("kill", ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)]).ThrowOnFailure();
        _ = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));
        process.WaitForExit();

        lock (error)
        {
            Assert.True(process.ExitCode == 3, error.ToString());
            Assert.Contains("cancelled: nothing was completed", error.ToString());
            Assert.DoesNotContain("SOURCE GATE", error.ToString());
        }
    }

    /// <summary>
    /// Waits until the process has used some CPU and then none for half a second: it waits on its full stdout. (Its stderr,
    /// a pipe, is written in blocks, so it shows nothing before the end.)
    /// </summary>
    private static void WaitUntilStalled(Process process)
    {
        var watch = Stopwatch.StartNew();
        var (cpu, since) = (-1L, Stopwatch.StartNew());
        while (watch.Elapsed < TimeSpan.FromMinutes(1))
        {
            Assert.False(process.HasExited, "the gate ended before its report was read");
            // /proc/PID/stat: fields 14 and 15 (user and system ticks) after the parenthesised command name.
            var fields = File.ReadAllText($"/proc/{process.Id}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var now = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (now != cpu) (cpu, since) = (now, Stopwatch.StartNew());
            else if (now > 0 && since.Elapsed > TimeSpan.FromMilliseconds(500)) return;
            Thread.Sleep(50);
        }
        throw new TimeoutException("the gate never stalled on its report");
    }

    /// <summary>Packs the CLI as users get it (the package they name, then the native one for linux-x64) and installs it into a fresh tool path.</summary>
    public sealed class PackedTool : IDisposable
    {
        private readonly TemporaryDirectory _directory = new("buildtrust-tool-");

        public PackedTool()
        {
            var project = Path.Combine(TestImages.RepositoryRoot, "build", "BuildTrust.Cli", "BuildTrust.Cli.csproj");
            var feed = _directory.Combine("feed");
            ExternalProcess.Run("dotnet", ["pack", project, "-c", "Release", "--no-build", "-o", feed, "-nologo"], timeout: TimeSpan.FromMinutes(5)).ThrowOnFailure();
            // The native compile takes minutes on a busy two-core machine.
            ExternalProcess.Run("dotnet", ["pack", project, "-c", "Release", "-r", "linux-x64", "-o", feed, "-nologo"], timeout: TimeSpan.FromMinutes(30)).ThrowOnFailure();
            Packages = [.. Directory.EnumerateFiles(feed, "BuildTrust.*.nupkg")];
            var tools = _directory.Combine("tools");
            ExternalProcess.Run("dotnet", ["tool", "install", "BuildTrust", "--tool-path", tools, "--add-source", feed, "--ignore-failed-sources"],
                _directory.Path, timeout: TimeSpan.FromMinutes(5)).ThrowOnFailure();
            Command = Path.Combine(tools, "buildtrust");
        }

        public IReadOnlyList<string> Packages { get; }

        /// <summary>The installed <c>buildtrust</c> command.</summary>
        public string Command { get; }

        public void Dispose() => _directory.Dispose();
    }
}
