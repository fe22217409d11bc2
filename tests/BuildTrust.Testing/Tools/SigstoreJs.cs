using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Testing.Tools;

/// <summary>
/// sigstore-js (<c>@sigstore/verify</c>, from npm, installed by <c>./build.sh test</c> into tests/tools/sigstore-verify):
/// the independent verifier of every bundle BuildTrust writes.
/// </summary>
public static class SigstoreJs
{
    public static string Directory { get; } = Path.Combine(Containers.TestImages.RepositoryRoot, "tests", "tools", "sigstore-verify");

    public static string? SkipReason => File.Exists(Path.Combine(Directory, "node_modules", "@sigstore", "verify", "package.json")) ? null
        : "SKIPPED: sigstore-js is not installed (./build.sh test runs npm ci in tests/tools/sigstore-verify)";

    /// <summary>Runs the verifier; exit code 0 means sigstore-js accepted the bundle.</summary>
    public static ProcessResult Verify(string bundle, string publicKeyPem, string? artifact = null, string? payloadType = null, params string[] subjects)
    {
        if (SkipReason is { } missing) throw new InvalidOperationException($"{missing}: an outside check cannot be skipped inside a test that asserts on it");
        var arguments = new List<string> { Path.Combine(Directory, "verify.js"), "--bundle", bundle, "--key", publicKeyPem };
        if (artifact is not null) arguments.AddRange(["--artifact", artifact]);
        if (payloadType is not null) arguments.AddRange(["--payload-type", payloadType]);
        foreach (var subject in subjects) arguments.AddRange(["--subject", subject]);
        return ExternalProcess.Run("node", arguments, Directory);
    }
}
