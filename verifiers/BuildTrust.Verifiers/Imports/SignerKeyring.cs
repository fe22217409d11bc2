using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Signatures.OpenPgp;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// The signers' OpenPGP keys, one file per signer named after it (<c>builder-keys/achow101.gpg</c>), from a folder the caller
/// trusts: a key decides whose attestations count, so it never comes from the data being judged unless the caller says so. A
/// key that BuildTrust refuses (SHA-1 self-signatures only, a weak algorithm) is kept with its reason, and that signer's
/// attestations are refused with it.
/// </summary>
public sealed class SignerKeyring
{
    private static readonly string[] Extensions = [".gpg", ".asc", ".pgp", ".pub"];

    private readonly Dictionary<string, OpenPgpKey> keys;
    private readonly Dictionary<string, string> refused;
    private readonly Dictionary<long, string> owners;

    private SignerKeyring(Dictionary<string, OpenPgpKey> keys, Dictionary<string, string> refused)
    {
        this.keys = keys;
        this.refused = refused;
        owners = [];
        foreach (var (signer, key) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            foreach (var id in key.KeyIds) owners.TryAdd(id, signer);
        }
    }

    public IReadOnlyCollection<string> Signers => [.. keys.Keys.Concat(refused.Keys).Order(StringComparer.Ordinal)];

    /// <summary>SHA-256 (hex) of every key file, in name order: what the import was judged against.</summary>
    public string Digest { get; private init; } = "";

    public static SignerKeyring Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new UntrustedFileException($"{folder}: no such folder of signers' keys");
        UntrustedFile.RefuseLinksOnTheWay(folder);
        var keys = new Dictionary<string, OpenPgpKey>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        using var digest = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(folder).Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        // Keys are parsed on every core: each self-signature, binding and back-signature is verified as it is read.
        var parsed = new (string File, byte[] Bytes, OpenPgpKey? Key, string? Refusal)[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            var bytes = UntrustedFile.ReadAll(files[i], OpenPgpKey.MaximumKeyFileBytes);
            try
            {
                parsed[i] = (files[i], bytes, OpenPgpKey.Parse(bytes), null);
            }
            catch (OpenPgpFormatException e)
            {
                parsed[i] = (files[i], bytes, null, $"the key in {Path.GetFileName(files[i])} is refused: {e.Message}");
            }
        });
        foreach (var (file, bytes, key, refusal) in parsed)
        {
            var signer = Path.GetFileNameWithoutExtension(file);
            digest.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}\n"));
            digest.AppendData(System.Security.Cryptography.SHA256.HashData(bytes));
            if (keys.ContainsKey(signer) || refused.ContainsKey(signer)) throw new UntrustedFileException($"{file}: a second key file for signer '{signer}'");
            if (key is not null) keys[signer] = key;
            else refused[signer] = refusal!;
        }
        if (keys.Count + refused.Count == 0) throw new UntrustedFileException($"{folder}: holds no key files ({string.Join(", ", Extensions)})");
        return new SignerKeyring(keys, refused) { Digest = Convert.ToHexStringLower(digest.GetHashAndReset()) };
    }

    /// <summary>Verifies <paramref name="signer"/>'s detached armored signature over <paramref name="content"/>; never throws for hostile bytes.</summary>
    public (AttestationVerdict Verdict, string Reason, string? Key) Verify(string signer, byte[] armored, byte[] content, DateTimeOffset now)
    {
        if (armored.Length > 64 * 1024 || !System.Text.Ascii.IsValid(armored))
            return (AttestationVerdict.Malformed, "the signature file is not an armored OpenPGP signature (too large, or not ASCII)", null);
        OpenPgpSignature signature;
        try
        {
            signature = OpenPgpSignature.Parse(System.Text.Encoding.ASCII.GetString(armored));
        }
        catch (OpenPgpFormatException e)
        {
            return (AttestationVerdict.Malformed, $"the signature file does not hold one OpenPGP signature: {e.Message}", null);
        }
        var keyId = $"{signature.KeyId:X16}";
        if (refused.TryGetValue(signer, out var refusal)) return (AttestationVerdict.Refused, refusal, keyId);
        if (!keys.TryGetValue(signer, out var key))
        {
            return owners.TryGetValue(signature.KeyId, out var other)
                ? (AttestationVerdict.Bad, $"signed with {other}'s key {keyId}, and no key is given for {signer}", keyId)
                : (AttestationVerdict.UnknownKey, $"no key is given for signer '{signer}' (signature by key id {keyId})", keyId);
        }
        if (!key.KeyIds.Contains(signature.KeyId))
        {
            return owners.TryGetValue(signature.KeyId, out var other)
                ? (AttestationVerdict.Bad, $"signed with {other}'s key {keyId}, not {signer}'s {key.Fingerprint}", keyId)
                : (AttestationVerdict.UnknownKey, $"signed by key id {keyId}, which is not in {signer}'s key {key.Fingerprint}", keyId);
        }
        try
        {
            var result = OpenPgpSignatureVerifier.Verify(key, signature, content, now);
            var verdict = result.Kind switch
            {
                OpenPgpFailure.None => AttestationVerdict.Good,
                OpenPgpFailure.Bad => AttestationVerdict.Bad,
                OpenPgpFailure.UnknownKey => AttestationVerdict.UnknownKey,
                OpenPgpFailure.Expired => AttestationVerdict.Expired,
                _ => AttestationVerdict.Refused,
            };
            return (result.IsValid ? AttestationVerdict.Good : verdict,
                result.IsValid ? $"good signature by {result.SigningKeyType} {result.SigningKeyFingerprint}, hash {OpenPgpAlgorithms.HashName(signature.Hash)}, made {signature.CreatedAt:yyyy-MM-dd}" : result.Failure!,
                result.SigningKeyFingerprint ?? keyId);
        }
        catch (Exception e) when (Checks.ParserFailure.IsMalformedInput(e))
        {
            return (AttestationVerdict.Malformed, $"the signature cannot be checked: {e.Message}", keyId);
        }
    }
}
