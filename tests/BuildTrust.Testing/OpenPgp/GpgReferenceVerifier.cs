using System.Globalization;
using System.Text;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>
/// The real <c>gpg --verify</c> with one public key file imported into a fresh home (and nothing else), read
/// through its machine interface (<c>--status-fd</c>): the reference every OpenPGP verdict is compared with.
/// </summary>
public sealed class GpgReferenceVerifier : IDisposable
{
    private static readonly string[] Verdicts = ["GOODSIG", "EXPSIG", "EXPKEYSIG", "REVKEYSIG", "BADSIG", "ERRSIG"];
    private readonly TemporaryDirectory _home = new("btgpgref-");

    public GpgReferenceVerifier(string publicKey)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_home.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var import = Gpg(["--import"], Encoding.ASCII.GetBytes(publicKey));
        Imported = import.StandardError.Contains("imported: 1", StringComparison.Ordinal) || import.StandardError.Contains("unchanged: 1", StringComparison.Ordinal);
    }

    /// <summary>Whether gpg kept the key at import (it drops a key without a valid user ID).</summary>
    public bool Imported { get; }

    /// <summary>gpg's verdict, as gpg would give it at <paramref name="at"/> (<c>--faked-system-time</c>) or now.</summary>
    public GpgVerdict Verify(string signature, byte[] message, DateTime? at = null)
    {
        var signaturePath = Path.Combine(_home.Path, $"{Guid.NewGuid():N}.asc");
        var dataPath = Path.Combine(_home.Path, $"{Guid.NewGuid():N}.dat");
        File.WriteAllText(signaturePath, signature);
        File.WriteAllBytes(dataPath, message);
        var arguments = new List<string> { "--trust-model", "always", "--status-fd", "1" };
        if (at is { } time) arguments.AddRange(["--faked-system-time", time.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + "!"]);
        arguments.AddRange(["--verify", signaturePath, dataPath]);
        var result = Gpg(arguments, null);
        var status = result.StandardOutput.Split('\n')
            .Select(l => l.StartsWith("[GNUPG:] ", StringComparison.Ordinal) ? l[9..].Split(' ') : [])
            .FirstOrDefault(words => words.Length > 0 && Verdicts.Contains(words[0]));
        return status switch
        {
            null => new GpgVerdict("NODATA", result.ExitCode),
            ["ERRSIG", .., var rc, _] => new GpgVerdict(rc == "9" ? "ERRSIG (no public key)" : $"ERRSIG (rc {rc})", result.ExitCode),
            _ => new GpgVerdict(status[0], result.ExitCode),
        };
    }

    private ProcessResult Gpg(IEnumerable<string> arguments, byte[]? input) =>
        ExternalProcess.Run("gpg", ["--batch", "--no-auto-check-trustdb", .. arguments], standardInput: input,
            environment: new Dictionary<string, string> { ["GNUPGHOME"] = _home.Path });

    public void Dispose()
    {
        ExternalProcess.Run("gpgconf", ["--kill", "all"], environment: new Dictionary<string, string> { ["GNUPGHOME"] = _home.Path });
        _home.Dispose();
    }
}
