using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Pipeline.Adoption;

/// <summary>
/// Reads an OpenSSH allowed_signers file (ssh-keygen(1), "ALLOWED SIGNERS"): <c>principals [options] keytype base64-key [comment]</c>
/// per line. Certificate authorities (<c>cert-authority</c>) are not keys of a maintainer and are refused with the line named;
/// a <c>valid-before</c> date is carried over as the key's validity.
/// </summary>
public static class AllowedSigners
{
    public const int MaximumBytes = 1024 * 1024;

    public sealed record Entry(string Principal, SshPublicKey Key, DateOnly? ValidBefore, int Line);

    public static IReadOnlyList<Entry> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = UntrustedFile.ReadAll(path, MaximumBytes);
        }
        catch (UntrustedFileException e)
        {
            throw new AdoptionException(e.Message);
        }
        var entries = new List<Entry>();
        var lines = System.Text.Encoding.UTF8.GetString(bytes).Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = Fields(line);
            var keyAt = fields.FindIndex(f => f.StartsWith("ssh-", StringComparison.Ordinal) || f.StartsWith("sk-", StringComparison.Ordinal) || f.StartsWith("ecdsa-", StringComparison.Ordinal));
            if (keyAt < 1 || keyAt + 1 >= fields.Count) throw new AdoptionException($"{path}:{number}: not an allowed_signers line (principals [options] keytype key [comment])");
            var options = fields.Skip(1).Take(keyAt - 1).SelectMany(o => o.Split(',')).ToList();
            if (options.Any(o => o.Equals("cert-authority", StringComparison.OrdinalIgnoreCase)))
                throw new AdoptionException($"{path}:{number}: a cert-authority line trusts every key it certifies; BuildTrust lists maintainers' own keys: give them with --maintainer ID=KEY");
            SshPublicKey key;
            try
            {
                key = SshPublicKey.Parse($"{fields[keyAt]} {fields[keyAt + 1]}");
            }
            catch (SshFormatException e)
            {
                throw new AdoptionException($"{path}:{number}: {e.Message}");
            }
            DateOnly? validBefore = null;
            if (options.FirstOrDefault(o => o.StartsWith("valid-before=", StringComparison.OrdinalIgnoreCase)) is { } before)
            {
                var value = before["valid-before=".Length..].Trim('"');
                if (value.Length < 8 || !DateOnly.TryParseExact(value[..8], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
                    throw new AdoptionException($"{path}:{number}: valid-before '{value}' is not a date (YYYYMMDD[HHMM[SS]])");
                validBefore = date.AddDays(-1);
            }
            foreach (var principal in fields[0].Trim('"').Split(',', StringSplitOptions.RemoveEmptyEntries)) entries.Add(new Entry(principal, key, validBefore, number));
        }
        return entries;
    }

    /// <summary>Splits on spaces, keeping a double-quoted option value (<c>namespaces="git,file"</c>) whole.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            if (!quoted && c is ' ' or '\t')
            {
                if (current.Length > 0) fields.Add(current.ToString());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) fields.Add(current.ToString());
        return fields;
    }
}
