namespace BuildTrust.Fuzz;

/// <summary>Wraps binary fuzz input in the armor its parser expects, so mutations reach the binary structure.</summary>
internal static class Armor
{
    public static string Wrap(byte[] body, string begin, string end, string headers = "")
    {
        var base64 = Convert.ToBase64String(body);
        var lines = Enumerable.Range(0, (base64.Length + 69) / 70).Select(i => base64.Substring(i * 70, Math.Min(70, base64.Length - i * 70)));
        return $"{begin}\n{headers}{string.Join('\n', lines)}\n{end}\n";
    }
}
