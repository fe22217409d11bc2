using System.Text;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Testing.OpenPgp;

/// <summary>A throw-away GnuPG home driven by the real <c>gpg</c> (batch mode, no passphrases): keys, subkeys, signatures, revocations.</summary>
public sealed class GpgKeyring : IDisposable
{
    private readonly TemporaryDirectory? _temporary;

    /// <summary>A keyring in a new temporary directory, deleted on dispose.</summary>
    public GpgKeyring()
        : this(null)
    {
    }

    /// <summary>A keyring in <paramref name="home"/> (kept on dispose), or in a temporary directory when null.</summary>
    public GpgKeyring(string? home)
    {
        if (home is null) _temporary = new TemporaryDirectory("btgpg-");
        Home = home ?? _temporary!.Path;
        Directory.CreateDirectory(Home);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(Home, "gpg-agent.conf"), "allow-loopback-pinentry\n");
    }

    public string Home { get; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["GNUPGHOME"] = Home };

    /// <summary>Generates a primary key; <paramref name="algorithm"/> is gpg's (ed25519, rsa3072, nistp256, rsa1024…). Returns its fingerprint.</summary>
    public string Generate(string userId, string algorithm = "ed25519", string usage = "sign", string expire = "never", string? fakedTime = null, params string[] options)
    {
        Gpg(fakedTime, [.. options, "--quick-gen-key", userId, algorithm, usage, expire]);
        return Fingerprints(userId)[0];
    }

    /// <summary>Adds a subkey and returns its fingerprint.</summary>
    public string AddSubkey(string primary, string algorithm, string usage, string expire = "never", string? fakedTime = null)
    {
        Gpg(fakedTime, "--quick-add-key", primary, algorithm, usage, expire);
        return Fingerprints(primary)[^1];
    }

    /// <summary>Sets a new expiry on the primary key (gpg issues a new self-signature), at <paramref name="fakedTime"/> when given.</summary>
    public void SetExpiry(string primary, string expire, string? fakedTime = null, params string[] options) => Gpg(fakedTime, [.. options, "--quick-set-expire", primary, expire]);

    /// <summary>Revokes the primary key with the revocation certificate gpg wrote when it generated the key.</summary>
    public void RevokePrimary(string primary)
    {
        var certificate = File.ReadAllText(Path.Combine(Home, "openpgp-revocs.d", primary + ".rev"));
        // gpg prefixes the armor with ':' so the certificate is not imported by accident.
        Run(["--import"], Encoding.ASCII.GetBytes(certificate.Replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", StringComparison.Ordinal)));
    }

    /// <summary>Revokes the subkey with the given fingerprint (through gpg's key editor).</summary>
    public void RevokeSubkey(string primary, string subkey)
    {
        var index = Fingerprints(primary).IndexOf(subkey);
        var commands = $"key {index}\nrevkey\ny\n0\n\ny\nsave\n";
        Run(["--command-fd", "0", "--status-fd", "2", "--edit-key", primary], Encoding.ASCII.GetBytes(commands));
    }

    /// <summary>The primary key's fingerprint followed by its subkeys' fingerprints, in order.</summary>
    public List<string> Fingerprints(string key)
    {
        var output = Run(["--with-colons", "--fingerprint", "--list-keys", key]).StandardOutput;
        return output.Split('\n').Where(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Select(l => l.Split(':')[9]).ToList();
    }

    public string ExportPublic(string key) => Run(["--armor", "--export", key]).StandardOutput;

    public string ExportSecret(string key) => Run(["--armor", "--export-secret-keys", key]).StandardOutput;

    /// <summary>A detached armored signature made by gpg itself; <paramref name="key"/> may be a subkey fingerprint.</summary>
    public string Sign(string key, byte[] message, string digest = "SHA512") =>
        Run(["--armor", "--detach-sign", "--digest-algo", digest, "--local-user", key + "!"], message).StandardOutput;

    /// <summary>A detached armored signature made by gpg with extra options (<c>--faked-system-time</c>, <c>--sig-notation</c>, <c>--default-sig-expire</c>...).</summary>
    public string SignWith(string key, byte[] message, params string[] options) =>
        Run([.. options, "--armor", "--detach-sign", "--local-user", key + "!"], message).StandardOutput;

    /// <summary>Imports a public key (a key file as others publish it).</summary>
    public void ImportKey(byte[] key) => Run(["--import"], key);

    /// <summary><c>gpg --verify --status-fd 1</c> of a detached signature: gpg's status lines (GOODSIG, BADSIG, EXPKEYSIG...), whatever its exit code.</summary>
    public string VerifyStatus(string armoredSignature, byte[] message)
    {
        var signature = Path.Combine(Home, $"sig-{Guid.NewGuid():N}.asc");
        var data = Path.Combine(Home, $"data-{Guid.NewGuid():N}");
        File.WriteAllText(signature, armoredSignature);
        File.WriteAllBytes(data, message);
        return ExternalProcess.Run("gpg", ["--batch", "--status-fd", "1", "--verify", signature, data], environment: Environment).StandardOutput;
    }

    /// <summary><c>gpg --verify</c> of a detached signature: the reference verifier.</summary>
    public ProcessResult Verify(string armoredSignature, byte[] message)
    {
        var signature = Path.Combine(Home, $"sig-{Guid.NewGuid():N}.asc");
        var data = Path.Combine(Home, $"data-{Guid.NewGuid():N}");
        File.WriteAllText(signature, armoredSignature);
        File.WriteAllBytes(data, message);
        return ExternalProcess.Run("gpg", ["--batch", "--verify", signature, data], environment: Environment);
    }

    private void Gpg(string? fakedTime, params string[] arguments)
    {
        var all = new List<string>();
        if (fakedTime is not null) all.AddRange(["--faked-system-time", fakedTime]);
        all.AddRange(arguments);
        Run(all);
    }

    private ProcessResult Run(IEnumerable<string> arguments, byte[]? input = null) =>
        ExternalProcess.Run("gpg", ["--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "", .. arguments], standardInput: input, environment: Environment)
            .ThrowOnFailure();

    public void Dispose()
    {
        ExternalProcess.Run("gpgconf", ["--kill", "gpg-agent"], environment: Environment);
        _temporary?.Dispose();
    }
}
