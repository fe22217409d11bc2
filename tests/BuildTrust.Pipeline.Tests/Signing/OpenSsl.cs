using System.Security.Cryptography;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Signing;

/// <summary><c>openssl dgst -sha256 -verify</c>: the reference verifier for raw ECDSA signatures.</summary>
internal static class OpenSsl
{
    public static bool Verifies(byte[] subjectPublicKeyInfo, byte[] data, byte[] derSignature)
    {
        using var directory = new TemporaryDirectory("buildtrust-openssl-");
        using (var key = ECDsa.Create())
        {
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            File.WriteAllText(directory.Combine("key.pub"), key.ExportSubjectPublicKeyInfoPem());
        }
        File.WriteAllBytes(directory.Combine("data"), data);
        File.WriteAllBytes(directory.Combine("sig"), derSignature);
        var result = ExternalProcess.Run("openssl", ["dgst", "-sha256", "-verify", directory.Combine("key.pub"), "-signature", directory.Combine("sig"), directory.Combine("data")]);
        return result.ExitCode == 0 && result.StandardOutput.Contains("Verified OK", StringComparison.Ordinal);
    }
}
