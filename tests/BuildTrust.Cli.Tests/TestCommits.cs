using System.Text;

namespace BuildTrust.Cli.Tests;

internal static class TestCommits
{
    /// <summary>Adds a raw gpgsig header (continuation lines already indented) to an unsigned commit.</summary>
    public static byte[] WithSignatureHeader(byte[] raw, string headerValue)
    {
        var end = raw.AsSpan().IndexOf("\n\n"u8);
        return [.. raw.AsSpan(0, end + 1), .. Encoding.ASCII.GetBytes($"gpgsig {headerValue}\n"), .. raw.AsSpan(end + 1)];
    }
}
