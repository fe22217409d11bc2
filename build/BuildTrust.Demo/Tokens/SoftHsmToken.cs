using System.Runtime.InteropServices;
using BuildTrust.Pipeline.Processes;

namespace BuildTrust.Demo.Tokens;

/// <summary>
/// DEMO AND TEST ONLY. A fresh SoftHSM2 token (a software HSM) with one ECDSA P-256 key pair generated on it by
/// pkcs11-tool, in a token directory of this process. <c>SOFTHSM2_CONF</c> is process-wide, so every token of a run
/// shares one configuration and directory; each token has its own label and PINs. Real releases use a YubiKey or an
/// HSM through the same PKCS#11 interface.
/// </summary>
public sealed partial class SoftHsmToken : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    private static readonly Lazy<string> Configuration = new(CreateConfiguration);
    private readonly DirectoryInfo pinDirectory = Directory.CreateTempSubdirectory("buildtrust-pin-");

    private SoftHsmToken(string label, string pin)
    {
        Label = label;
        Pin = pin;
        PinFile = Path.Combine(pinDirectory.FullName, "pin");
        File.WriteAllText(PinFile, pin + "\n");
    }

    public string Label { get; }

    public string Pin { get; }

    public string PinFile { get; }

    public static string? MissingReason => File.Exists(Module) && ToolExists("softhsm2-util") && ToolExists("pkcs11-tool") ? null
        : "SoftHSM2 or pkcs11-tool is not installed (Debian: apt-get install softhsm2 opensc; ./build.sh test installs them)";

    /// <summary>The key's URI, with the PIN read from a file.</summary>
    public string Uri(string keyLabel = "release-key") => $"pkcs11:token={Label};object={keyLabel}?module-path={Module}&pin-source=file:{PinFile}";

    public static SoftHsmToken Create(string keyType = "EC:prime256v1", string keyLabel = "release-key")
    {
        _ = Configuration.Value;
        var token = new SoftHsmToken($"bt-{Guid.NewGuid():N}"[..30], Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        ExternalProcess.Run("softhsm2-util", ["--init-token", "--free", "--label", token.Label, "--pin", token.Pin, "--so-pin", "12345678"]).ThrowOnFailure();
        token.GenerateKey(keyType, keyLabel);
        return token;
    }

    public void GenerateKey(string keyType, string keyLabel, params string[] options) =>
        ExternalProcess.Run("pkcs11-tool", ["--module", Module, "--token-label", Label, "--login", "--pin", Pin,
            "--keypairgen", "--key-type", keyType, "--label", keyLabel, "--id", Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(keyLabel)), .. options]).ThrowOnFailure();

    public void Dispose()
    {
        ExternalProcess.Run("softhsm2-util", ["--delete-token", "--token", Label]);
        pinDirectory.Delete(recursive: true);
    }

    private static string CreateConfiguration()
    {
        var directory = Directory.CreateTempSubdirectory("buildtrust-softhsm-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "tokens"));
        var path = Path.Combine(directory, "softhsm2.conf");
        File.WriteAllText(path, $"directories.tokendir = {Path.Combine(directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", path);
        // The module reads the native environment, which Environment.SetEnvironmentVariable does not change on Unix.
        if (NativeMethods.SetEnvironment("SOFTHSM2_CONF", path, 1) != 0) throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed");
        return path;
    }

    private static bool ToolExists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(directory => File.Exists(Path.Combine(directory, name)));

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int SetEnvironment(string name, string value, int overwrite);
    }
}
